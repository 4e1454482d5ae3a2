import { describe, expect, it } from 'vitest';
import type { EnasParams } from '../../methods/enas/params.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import evolution from '../../methods/evolution/index.js';
import random from '../../methods/random/index.js';
import enas from '../../methods/enas/index.js';
import { drive, searchContext } from '../helpers/search-context.js';

/**
 * One repeat policy for every built-in method (docs/PLUGINS.md): each proposal is an evaluation
 * charged to the budget, a repeated architecture included; a method may avoid repeats but never
 * gets a sample for free.
 */
describe('repeated architectures are charged, for every method', () => {
  it('evolution proposes a cell it already evaluated again and is charged for it', async () => {
    const ctx = searchContext<never>(evolution, nb201Space, { seed: 3, budget: 300, records: [], assignments: [] });
    const proposed = await drive(await evolution.create(ctx), ctx, 300);
    expect(proposed).toHaveLength(300);
    expect(new Set(proposed).size).toBeLessThan(300);
  });

  it('enas (REINFORCE on NAS-Bench-201) proposes a repeat again by default, each one an evaluation', async () => {
    const params = ['hidden=8', 'policy=table', 'lr=0.2', 'squash=false', 'temperature=0.5'];
    const ctx = searchContext<EnasParams>(enas, nb201Space, { seed: 2, budget: 100, records: [], assignments: params });
    const proposed = await drive(await enas.create(ctx), ctx, 100);
    expect(proposed).toHaveLength(100);
    expect(new Set(proposed).size).toBeLessThan(100);
  });

  it('random avoids repeats instead (it never proposes one)', async () => {
    const ctx = searchContext<never>(random, nb201Space, { seed: 3, budget: 300, records: [], assignments: [] });
    const proposed = await drive(await random.create(ctx), ctx, 300);
    expect(new Set(proposed).size).toBe(300);
  });

  it('enas says what runs: REINFORCE with its controller on a table, ENAS with a supernet', () => {
    const objective = { metric: 'valid_acc', goal: 'max', label: 'x' } as const;
    const defaults = searchContext<EnasParams>(enas, nb201Space, { seed: 0, budget: 1, records: [], assignments: [] }).params;
    expect(enas.label!(defaults, { name: 'nb201-cifar10', kind: 'tabular', objective })).toBe('REINFORCE (ENAS LSTM controller)');
    expect(enas.label!({ ...defaults, policy: 'table' }, { name: 'nb201-cifar10', kind: 'tabular', objective })).toBe('REINFORCE (ENAS table policy)');
    expect(enas.label!(defaults, { name: 'ptb', kind: 'text', objective })).toBe('ENAS');
  });
});
