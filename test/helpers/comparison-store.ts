import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from './nb201-fixture.js';

/**
 * A database holding two methods (random, evolution) on NAS-Bench-201 CIFAR-10 (the synthetic
 * tables), three seeds each, written by the real CLI: enough for every table a report has.
 */
export function writeComparisonStore(prefix: string, budget: number): { data: string; work: string; db: string } {
  const data = writeNb201Fixture();
  const work = mkdtempSync(join(tmpdir(), prefix));
  const db = join(work, 'runs.db');
  for (const method of ['random', 'evolution']) {
    const r = nasbench(['run', method, '--task', 'nb201-cifar10', '--seeds', '3', '--budget', String(budget), '--db', db, '--data-dir', data, '--quiet']);
    if (r.status !== 0) throw new Error(`nasbench run ${method} failed: ${r.stderr}`);
  }
  return { data, work, db };
}
