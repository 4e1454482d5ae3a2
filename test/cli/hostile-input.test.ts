import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let data: string;
let work: string;
beforeAll(() => {
  data = writeNb201Fixture();
  work = mkdtempSync(join(tmpdir(), 'nasbench-hostile-'));
});

/** A bad input: exit code 2 and exactly one line on stderr matching `message`. */
function expectUserError(r: { status: number | null; stderr: string }, message: RegExp) {
  expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  expect(r.status).toBe(2);
}

describe('lenient input that used to reach the store is one line, exit code 2', () => {
  it.each([
    [['run', 'random', '--seeds', '2147483647'], {}, /^Error: --seeds "2147483647": at most 100000 seeds per experiment$/],
    [['run', 'random', '--seeds', '0..99999999'], {}, /^Error: --seeds "0\.\.99999999": at most 100000 seeds per experiment$/],
    [['run', 'random', '--budget', '99999999999999999999'], {}, /^Error: --budget: expected an integer less than or equal to 10000000 but received: 99999999999999999999$/],
    [['run', 'random'], { NASBENCH_BACKEND: 'x' }, /^Error: --backend 'x': expected one of auto, tensorflow, webgpu, wasm, cpu$/],
    [['run', 'random', '--backend', 'gpu'], {}, /^Error: --backend 'gpu': expected one of auto, tensorflow, webgpu, wasm, cpu$/],
  ])('%j %j, and no database is created', (args, env, message) => {
    const db = join(work, `${args.join('-')}.db`);
    expectUserError(nasbench([...args, '--task', 'nb201-cifar10', '--db', db, '--data-dir', data], env), message);
    expect(existsSync(db)).toBe(false);
  });

  it('--since a day that does not exist', () => {
    const db = join(work, 'since.db');
    expectUserError(nasbench(['report', '--since', '2026-02-30', '--db', db]), /^Error: --since 2026-02-30: 2026-02-30 is not a day of the calendar; expected an ISO date such as 2026-05-01$/);
    expectUserError(nasbench(['report', '--since', '2026-13-01', '--db', db]), /^Error: --since 2026-13-01: /);
    expect(existsSync(db)).toBe(false);
  });

  it.each([['population=1e300'], ['population=0x10'], ['population=16.5']])('--param %s for an integer parameter, earlier results untouched', (param) => {
    const db = join(work, 'param.db');
    if (!existsSync(db)) expect(nasbench(['run', 'evolution', '--task', 'nb201-cifar10', '--budget', '12', '--db', db, '--data-dir', data]).status).toBe(0);
    expectUserError(
      nasbench(['run', 'evolution', '--task', 'nb201-cifar10', '--param', param, '--db', db, '--data-dir', data]),
      new RegExp(`^Error: --param ${param}: 'population' of evolution expects an integer ≥ 2, got '${param.split('=')[1]}'$`),
    );
    const store = Store.open(db);
    expect(store.runs().map((r) => [r.budget, r.params])).toEqual([[12, { population: 10, sample_size: 3 }]]);
    store.close();
  });
});
