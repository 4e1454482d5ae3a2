/**
 * A search method end to end on trained tasks: reads finished `nasbench run nao|nao-ws|enas` runs
 * from their stores and writes results/nao-tiny, results/nao-ws or results/enas-ws (.md and .json):
 * device time (search, with its supernet if any; final training), wall time, the chosen
 * architecture and its result, the course of the search (NAO: the EPD's time against the children
 * it proposed) and, with weight sharing, the rank agreement of shared-weight and standalone scores.
 * Usage: node dist/benchmarks/trained-runs.js --method nao|nao-ws|enas --db RUNS.db [--db RUNS.db …] [--load-log FILE] [--command "…" …] [--label "…" …]
 *   --load-log: lines "<unix seconds> <1-minute load average>" sampled while the runs went on.
 *   --command, --label: the command each run was started with and a heading for it, in the order of the --db flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { DerivedDiagnostics, EpochDiagnostics } from '../methods/enas/weight-sharing.js';
import type { IterationDiagnostics } from '../methods/nao/iteration.js';
import type { RoundDiagnostics } from '../methods/nao-ws/search.js';
import { openStore } from '../src/harness/open-store.js';
import type { Store } from '../src/store/store.js';
import type { DiagnosticRecord, EvaluationRecord, RunRecord } from '../src/store/types.js';
import { getTask } from '../src/tasks/index.js';
import { machine, markdownTable, writeResults } from './results.js';

const flags = (name: string): string[] => process.argv.flatMap((a, i) => (a === `--${name}` && i + 1 < process.argv.length ? [process.argv[i + 1]!] : []));
const dbs = flags('db');
const commands = flags('command');
const labels = flags('label');
const METHODS = {
  nao: { output: 'nao-tiny', title: 'NAO', procedure: 'NAO’s search (random seeds, then EPD iterations; see `methods/nao/README.md`), each proposal trained from scratch' },
  'nao-ws': {
    output: 'nao-ws',
    title: 'NAO-WS',
    procedure: 'a weight-sharing search (pool, supernet rounds, EPD renewals; see `methods/nao-ws/README.md`), then the budget spent re-ranking pool architectures by standalone training',
  },
  enas: {
    output: 'enas-ws',
    title: 'ENAS with weight sharing',
    procedure: 'a weight-sharing search (supernet epochs on fresh controller samples, controller updates; see `methods/enas/README.md`), then the budget spent re-ranking cells derived from the controller by standalone training',
  },
} as const;
const method = (flags('method')[0] ?? '') as keyof typeof METHODS;
if (dbs.length === 0 || !(method in METHODS)) {
  throw new Error('usage: node dist/benchmarks/trained-runs.js --method nao|nao-ws|enas --db RUNS.db [--db …] [--load-log FILE] [--command "…" …]');
}
const weightSharing = method !== 'nao';

/** Load samples within [from, to] (unix seconds): min, mean, max of the 1-minute average. */
function loadDuring(from: number, to: number): { min: number; mean: number; max: number; samples: number } | null {
  const file = flags('load-log')[0];
  if (file === undefined || !existsSync(file)) return null;
  const values = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v) && t! >= from && t! <= to)
    .map(([, v]) => v!);
  if (values.length === 0) return null;
  return { min: Math.min(...values), mean: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values), samples: values.length };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const unix = (iso: string) => Date.parse(iso) / 1000;

function summarise(run: RunRecord, store: Store, command: string | undefined, label: string | undefined) {
  const task = getTask(run.task);
  const evaluations = store.evaluations(run.id);
  const diagnostics = store.diagnostics(run.id);
  const correlation = diagnostics.filter((d) => d.kind === 'weight-sharing-correlation').at(-1)?.data as
    | { tau: number | null; n: number; pairs: [number, number][] }
    | undefined;
  const evaluationSeconds = evaluations.reduce((s, e) => s + e.deviceSeconds, 0);
  const searchSeconds = run.supernetSeconds + evaluationSeconds;
  const finalSeconds = run.deviceSeconds - searchSeconds;
  const started = unix(run.startedAt!);
  const searchEnd = Math.max(...evaluations.map((e) => unix(e.finishedAt)));
  const finished = run.finishedAt ? unix(run.finishedAt) : searchEnd;
  return {
    label: label ?? run.task,
    task: run.task,
    preset: run.taskRecord.preset,
    budget: run.budget,
    seed: run.seed,
    status: run.status,
    codeVersion: run.codeVersion,
    command: command ?? null,
    params: run.params,
    finalArch: run.finalArch,
    resultLabel: task.result.label,
    resultMetric: task.result.metric,
    finalValue: run.finalValue,
    finalMetrics: run.finalMetrics,
    deviceSeconds: {
      supernet: round(run.supernetSeconds, 1),
      evaluations: round(evaluationSeconds, 1),
      search: round(searchSeconds, 1),
      final: round(finalSeconds, 1),
      total: round(run.deviceSeconds, 1),
    },
    deviceHours: { search: round(searchSeconds / 3600, 3), total: round(run.deviceSeconds / 3600, 3) },
    wallSeconds: { search: round(searchEnd - started, 0), final: round(finished - searchEnd, 0), total: round(finished - started, 0) },
    load: { search: loadDuring(started, searchEnd), final: loadDuring(searchEnd, finished) },
    objective: task.objective.label,
    search: searchCourse(diagnostics, evaluations),
    // The correlation's pairs are the successful evaluations', in order.
    reranked: evaluations.map((e) => ({
      ordinal: e.ordinal,
      arch: e.arch,
      shared: e.value === null ? null : (correlation?.pairs[evaluations.filter((o) => o.value !== null && o.ordinal < e.ordinal).length]?.[0] ?? null),
      standalone: e.value,
      deviceSeconds: round(e.deviceSeconds, 1),
    })),
    tau: correlation?.tau ?? null,
    tauN: correlation?.n ?? 0,
  };
}

const fmt = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '–' : x.toFixed(digits));

/** The search's own record, as a table: NAO-WS's rounds or ENAS's epochs and derivation. */
interface SearchCourse {
  readonly caption: string;
  readonly header: string[];
  readonly rows: (string | number)[][];
  readonly note?: string;
}

function searchCourse(diagnostics: readonly DiagnosticRecord[], evaluations: readonly EvaluationRecord[]): SearchCourse {
  const find = (kind: string) => diagnostics.filter((d) => d.kind === kind).at(-1)?.data;
  if (method === 'nao') {
    // Each iteration's EPD work against the device time of the children it proposed (up to the next iteration).
    const iterations = diagnostics.filter((d) => d.kind === 'nao-iteration').map((d) => d.data as unknown as IterationDiagnostics);
    const rows = iterations.map((x, i) => {
      const until = iterations[i + 1]?.evaluated ?? Number.POSITIVE_INFINITY;
      const children = evaluations.filter((e) => e.ordinal >= x.evaluated && e.ordinal < until);
      const childSeconds = children.reduce((s, e) => s + e.deviceSeconds, 0);
      const epdSeconds = (x.trainMs + x.generateMs) / 1000;
      return [x.iteration, x.evaluated, x.steps, fmt(x.trainMs / 1000, 1), fmt(x.generateMs / 1000, 1), `${x.generated} + ${x.randomFill}`, children.length, fmt(childSeconds, 0), childSeconds > 0 ? `${fmt((100 * epdSeconds) / childSeconds, 1)} %` : '–', fmt(x.heldOutPairwise), fmt(x.reconstruction)];
    });
    const epd = iterations.reduce((s, x) => s + (x.trainMs + x.generateMs) / 1000, 0);
    const proposed = evaluations.filter((e) => iterations.length > 0 && e.ordinal >= iterations[0]!.evaluated).reduce((s, e) => s + e.deviceSeconds, 0);
    return {
      caption: 'EPD iterations (training on the evaluated architectures, then generating the next ones) against the children they proposed',
      header: ['iteration', 'after evaluations', 'EPD steps', 'EPD train s', 'generate s', 'new + random', 'children', 'children device s', 'EPD / children', 'held-out pairwise', 'reconstruction'],
      rows,
      note: `Over the run: EPD ${fmt(epd, 1)} s against ${fmt(proposed, 0)} device seconds of the children it proposed (${proposed > 0 ? fmt((100 * epd) / proposed, 1) : '–'} %).`,
    };
  }
  if (method === 'nao-ws') {
    const rounds = (find('nao-ws-iterations') ?? []) as RoundDiagnostics[];
    return {
      caption: 'Rounds of the search (pool scores with the shared weights)',
      header: ['round', 'supernet steps', 'loss', 'supernet s', 'pool best', 'median', 'worst', 'EPD held-out pairwise', 'EPD reconstruction', 'new + random', 'EPD s'],
      rows: rounds.map((x) => [
        x.iteration,
        x.supernetSteps,
        fmt(x.supernetLoss, 3),
        fmt(x.supernetSeconds, 0),
        fmt(x.poolBest),
        fmt(x.poolMedian),
        fmt(x.poolWorst),
        fmt(x.heldOutPairwise),
        fmt(x.reconstruction),
        `${x.generated} + ${x.random}`,
        fmt((x.trainMs + x.generateMs) / 1000, 1),
      ]),
    };
  }
  const epochs = (find('enas-epochs') ?? []) as EpochDiagnostics[];
  const derived = find('enas-derived') as DerivedDiagnostics | undefined;
  return {
    caption: 'Epochs of the search (controller rewards from the shared weights: accuracy as a fraction, or 80 / perplexity)',
    header: ['epoch', 'supernet steps', 'loss', 'supernet s', 'controller updates', 'mean reward', 'entropy', 'baseline'],
    rows: epochs.map((x) => [x.epoch, x.supernetSteps, fmt(x.supernetLoss, 3), fmt(x.supernetSeconds, 0), x.updates, fmt(x.reward, 4), fmt(x.entropy, 2), fmt(x.baseline, 4)]),
    note: derived
      ? `Derived: ${derived.drawn} cells drawn from the trained controller, ${derived.distinct} distinct, scored on fixed validation batches with the shared weights: best ${fmt(derived.best)}, median ${fmt(derived.median)}, worst ${fmt(derived.worst)}.`
      : undefined,
  };
}

const runs = dbs.flatMap((db, i) => {
  const store = openStore(db);
  try {
    return store
      .runs()
      .filter((r) => r.method === method)
      .map((r) => summarise(r, store, commands[i], labels[i]));
  } finally {
    store.close();
  }
});

const loadText = (l: ReturnType<typeof loadDuring>) => (l === null ? 'not sampled' : `${fmt(l.min, 1)}–${fmt(l.max, 1)} (mean ${fmt(l.mean, 1)})`);

const sections = runs.map((r) =>
  [
    `## ${r.label} (${r.preset} preset, budget ${r.budget}, seed ${r.seed}): ${r.status}`,
    '',
    r.command ? `\`${r.command}\`` : '',
    '',
    `Code ${r.codeVersion}; parameters: ${Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}.`,
    '',
    markdownTable(
      ['', 'device time', 'wall time', '1-min load (2 cores)'],
      [
        [`search: ${weightSharing ? `supernet ${fmt(r.deviceSeconds.supernet / 60, 1)} min + ` : ''}${r.reranked.length} standalone children ${fmt(r.deviceSeconds.evaluations / 60, 1)} min`, `${fmt(r.deviceSeconds.search / 60, 1)} min (${fmt(r.deviceHours.search, 3)} CPU-hours)`, `${fmt(r.wallSeconds.search / 60, 1)} min`, loadText(r.load.search)],
        r.status === 'completed'
          ? ['final training (preset’s final setting)', `${fmt(r.deviceSeconds.final / 60, 1)} min`, `${fmt(r.wallSeconds.final / 60, 1)} min`, loadText(r.load.final)]
          : ['final training (preset’s final setting)', `not done (run ${r.status})`, '', ''],
        ['run', `${fmt(r.deviceSeconds.total / 60, 1)} min (${fmt(r.deviceHours.total, 3)} CPU-hours)`, `${fmt(r.wallSeconds.total / 60, 1)} min`, ''],
      ],
    ),
    '',
    r.status === 'completed' ? `**Result**: ${r.resultLabel} = **${fmt(r.finalValue)}** for \`${r.finalArch}\`.` : `**Result**: none yet (run ${r.status}; \`nasbench resume\` trains the recommendation).`,
    '',
    ...(weightSharing
      ? [
          `**Weight sharing vs standalone training**: Kendall τ = ${fmt(r.tau)} over ${r.tauN} architectures (shared-weight ${r.objective} after the search vs after a standalone search-setting training).`,
          '',
          markdownTable(
            ['#', 'shared-weight', 'standalone', 'child device s', 'architecture'],
            r.reranked.map((x) => [x.ordinal, fmt(x.shared), fmt(x.standalone), fmt(x.deviceSeconds, 0), `\`${x.arch}\``]),
          ),
        ]
      : [
          `Children (${r.objective} after the search setting's training):`,
          '',
          markdownTable(
            ['#', r.objective, 'device s', 'architecture'],
            r.reranked.map((x) => [x.ordinal, fmt(x.standalone), fmt(x.deviceSeconds, 0), `\`${x.arch}\``]),
          ),
        ]),
    '',
    `${r.search.caption}, ${r.objective}:`,
    '',
    markdownTable(r.search.header, r.search.rows),
    ...(r.search.note ? ['', r.search.note] : []),
  ].join('\n'),
);

const m = machine();
const { output, title, procedure } = METHODS[method];
writeResults(
  output,
  { machine: m, method, runs },
  [
    `# ${title} on the tiny presets`,
    '',
    `node: ${m.node} · cpu: ${m.cpu} · cores: ${m.cores} · written: ${m.date} · code: ${[...new Set(runs.map((r) => r.codeVersion))].join(', ')}`,
    '',
    `Each run: ${procedure} with the preset’s search setting, then the best of them trained from scratch with the preset’s final setting. Device time is wall time of the work on the device (the supernet’s training and scoring, each child, the final training); the machine is shared, so the 1-minute load average sampled every 30 s during each phase is given beside it: a load above the 2 cores slows every figure down.`,
    '',
    ...sections.flatMap((s) => [s, '']),
    `Reproduce: run the commands above (Fashion-MNIST from a directory holding \`fashion-mnist/\`, PTB from one holding \`ptb/\`), then \`npm run build && node dist/benchmarks/trained-runs.js --method ${method} --db <fm runs.db> --db <ptb runs.db> [--load-log <file>] [--command "…" …]\`.`,
  ].join('\n'),
);
console.log(`wrote results/${output}.md (${runs.length} runs)`);
