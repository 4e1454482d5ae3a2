import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

describe('show lists diagnostics readably', () => {
  it('the weight-sharing correlation as a sentence, a list of rounds one line each, --json whole', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'nasbench-cli-show-')), 'runs.db');
    const run = nasbench(['run', 'random', '--task', 'nb201-cifar10', '--seeds', '2', '--budget', '8', '--db', db, '--data-dir', writeNb201Fixture(), '--json']);
    expect(run.status).toBe(0);
    const [first, second]: number[] = JSON.parse(run.stdout).runs.map((r: { runId: number }) => r.runId);
    // As a weight-sharing method records them: its search's rounds at once, then the re-ranking's agreement.
    const rounds = [
      { iteration: 1, poolBest: 61.5, pairs: Array.from({ length: 12 }, (_, i) => [i, i + 1]) },
      { iteration: 2, poolBest: 64.25, pairs: [] },
    ];
    const pairs = Array.from({ length: 8 }, (_, i) => [60 + i, 80 + ((i * 3) % 8)]);
    const store = Store.open(db);
    store.recordDiagnostic(first!, 0, 'nao-ws-iterations', rounds);
    store.recordDiagnostic(first!, 8, 'weight-sharing-correlation', { tau: 0.2143, n: 8, pairs });
    store.recordDiagnostic(second!, 1, 'weight-sharing-correlation', { tau: null, n: 1, pairs: [[60, 80]] });
    store.close();

    const shown = nasbench(['show', String(first), '--db', db]);
    expect(shown.status, shown.stderr).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines).toContain('  after 0 evaluations · nao-ws-iterations [1/2]: {"iteration":1,"poolBest":61.5,"pairs":"<12 entries>"}');
    expect(lines).toContain('  after 0 evaluations · nao-ws-iterations [2/2]: {"iteration":2,"poolBest":64.25,"pairs":[]}');
    expect(lines).toContain('  after 8 evaluations · weight-sharing-correlation: Kendall τ (shared-weight vs standalone score) = 0.21 over 8 architectures');
    const json = JSON.parse(nasbench(['show', String(first), '--db', db, '--json']).stdout);
    expect(json.diagnostics.map((d: { data: unknown }) => d.data)).toEqual([rounds, { tau: 0.2143, n: 8, pairs }]);

    const undefinedTau = nasbench(['show', String(second), '--db', db]);
    expect(undefinedTau.stdout).toContain(
      'after 1 evaluations · weight-sharing-correlation: Kendall τ (shared-weight vs standalone score) = undefined (needs two architectures with different scores) over 1 architecture\n',
    );
  });
});
