import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineOptions } from '../../src/api/task-record.js';
import { Store } from '../../src/store/store.js';
import { derivedTaskRecord } from '../../src/tasks/record.js';

export interface FakeEvaluation {
  readonly value: number | null;
  readonly seconds?: number;
  readonly kind?: string;
  readonly params?: number | null;
  /** The worker host that carried it out (default: not recorded). */
  readonly host?: string;
}

export interface FakeRun {
  readonly final: number | null;
  readonly metrics?: Record<string, number>;
  readonly finalSeconds?: number;
  /** Ordinal of the evaluation that found the final architecture. */
  readonly finalOrdinal?: number | null;
  readonly evaluations: readonly FakeEvaluation[];
}

export interface FakeExperiment {
  readonly task: string;
  readonly method: string;
  readonly budget?: number;
  readonly params?: Record<string, unknown>;
  readonly config?: Record<string, unknown>;
  readonly runs: readonly FakeRun[];
  /** Seeds of the runs (default 0, 1, …). */
  readonly seeds?: readonly number[];
  readonly pluginHash?: string | null;
  readonly dataChecksums?: Record<string, string> | null;
  /** The engine the task was opened with (default: as a store from before task records derives it). */
  readonly engine?: EngineOptions;
}

export function tempStore(): { store: Store; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'nasbench-report-')), 'report.db');
  return { store: Store.open(path), path };
}

/** Writes an experiment through the store's own API, as the harness would; returns its run ids. */
export function insertExperiment(store: Store, x: FakeExperiment): number[] {
  const { runIds } = store.createExperiment({
    method: x.method,
    methodSource: 'builtin',
    task: x.task,
    budget: x.budget ?? Math.max(1, ...x.runs.map((r) => r.evaluations.length)),
    params: x.params ?? {},
    config: x.config ?? {},
    // As a store written before task records would have it derived when opened.
    taskRecord: {
      ...derivedTaskRecord({ task: x.task, config: x.config ?? {}, finalMetricKeys: new Set(x.runs.flatMap((r) => Object.keys(r.metrics ?? {}))) }),
      ...(x.engine !== undefined ? { engine: x.engine } : {}),
    },
    codeVersion: 'test',
    seeds: x.seeds ?? x.runs.map((_, i) => i),
    pluginHash: x.pluginHash ?? null,
    dataChecksums: x.dataChecksums ?? null,
  });
  const at = '2026-01-01T00:00:00.000Z';
  x.runs.forEach((run, i) => {
    const id = runIds[i]!;
    store.commitProgress(
      id,
      run.evaluations.map((e, ordinal) => ({
        runId: id,
        ordinal,
        arch: `arch-${ordinal}`,
        archHash: `h${ordinal}`,
        status: e.value === null ? 'failed' : 'ok',
        value: e.value,
        metrics: (e.value === null ? {} : { valid_acc: e.value }) as Record<string, number>,
        params: e.params ?? null,
        fidelity: null,
        deviceSeconds: e.seconds ?? 1,
        deviceKind: e.kind ?? 'cpu',
        backend: 'test',
        threads: 1,
        error: null,
        startedAt: at,
        finishedAt: at,
        host: e.host ?? null,
      })),
    );
    if (run.final !== null || run.metrics) {
      store.completeRun(id, {
        arch: 'final',
        archHash: 'f',
        ordinal: run.finalOrdinal ?? null,
        value: run.final,
        metrics: run.metrics ?? (run.final === null ? {} : { test_acc: run.final }),
        deviceSeconds: run.finalSeconds ?? 0,
        host: 'test-host',
        backend: 'test',
        deviceKind: 'cpu',
      });
    }
  });
  return runIds;
}
