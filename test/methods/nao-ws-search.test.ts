import { describe, expect, it } from 'vitest';
import { type Arch, type Json, type SearchContext, type SearchSpace, kendallTau, rerankCandidates } from '../../src/api/index.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';
import naoWs from '../../methods/nao-ws/index.js';
import type { NaoWsParams } from '../../methods/nao-ws/params.js';
import type { RoundDiagnostics } from '../../methods/nao-ws/search.js';
import { type Event, fakeSupernet, sharedScore, standalone, syntheticTrainedTask } from '../helpers/fake-supernet.js';
import { type Recorded, searchContext } from '../helpers/search-context.js';

/** Small and quick: the loop's contracts, not the search's quality. */
const QUICK = [
  'pool=12',
  'iterations=3',
  'supernet_epochs=0.5',
  'score_batches=2',
  'top_k=4',
  'new_per_iteration=4',
  'random_per_iteration=2',
  'holdout=0.2',
  'hidden=8',
  'embedding=4',
  'mlp_layers=1',
  'mlp_hidden=8',
  'epochs=2',
  'max_eta_steps=8',
];

function context(space: SearchSpace<unknown>, seed: number, budget: number, records: Recorded[], events: Event[], goal: 'max' | 'min' = 'max', assignments = QUICK): SearchContext<NaoWsParams> {
  const task = syntheticTrainedTask(goal);
  const supernet = fakeSupernet(space as SearchSpace<Arch>, task.objective.metric, goal, events);
  return searchContext(naoWs, space, { seed, budget, records, assignments, task, supernet });
}

/** Splits the supernet's log into rounds: training picks, then the pool's scoring. */
function rounds(events: readonly Event[], pool: number): { picks: string[]; scored: Extract<Event, { kind: 'score' }>[] }[] {
  const out: { picks: string[]; scored: Extract<Event, { kind: 'score' }>[] }[] = [];
  let current = { picks: [] as string[], scored: [] as Extract<Event, { kind: 'score' }>[] };
  for (const e of events) {
    if (e.kind === 'train') current.picks.push(e.arch);
    else current.scored.push(e);
    if (current.scored.length === pool) {
      out.push(current);
      current = { picks: [], scored: [] };
    }
  }
  expect(current).toEqual({ picks: [], scored: [] });
  return out;
}

describe.each([
  ['cnn-micro', 'max', cnnMicroSpace],
  ['rnn-cell', 'min', rnnCellSpace],
] as const)('NAO-WS search on %s (%s objective)', (_, goal, space) => {
  it('trains on the pool, scores all of it alike, renews its bottom from the EPD and proposes the top by shared score', async () => {
    const records: Recorded[] = [];
    const events: Event[] = [];
    const ctx = context(space, 1, 6, records, events, goal);
    const searcher = await naoWs.create(ctx);
    const proposed = await searcher.propose(6);

    const byRound = rounds(events, 12);
    expect(byRound).toHaveLength(3);
    const everPooled = new Set<string>();
    byRound.forEach((round, r) => {
      const pool = round.scored.map((s) => s.arch);
      expect(new Set(pool).size).toBe(12);
      for (const s of round.scored) expect(s.options).toEqual({ batches: 2, fixed: true });
      // Half an epoch of the stand-in's ten steps, each on a member of the pool it then scores.
      expect(round.picks).toHaveLength(5);
      for (const pick of round.picks) expect(pool).toContain(pick);
      if (r > 0) {
        // The previous round's top 6 stay; 6 architectures never pooled before replace its bottom.
        const previous = byRound[r - 1]!.scored.map((s) => s.arch);
        const kept = pool.filter((a) => previous.includes(a));
        const incoming = pool.filter((a) => !previous.includes(a));
        expect(incoming).toHaveLength(6);
        for (const a of incoming) expect(everPooled.has(a)).toBe(false);
        const step = byRound.slice(0, r).reduce((n, x) => n + x.picks.length, 0);
        const ranking = [...previous].sort((a, b) => sharedScore(space as never, space.parse(b) as never, step) - sharedScore(space as never, space.parse(a) as never, step));
        expect(new Set(kept)).toEqual(new Set(ranking.slice(0, 6)));
      }
      for (const a of pool) everPooled.add(a);
    });

    // One record, rewritten after each round, listing the rounds so far.
    expect(records.map((r) => [r.kind, (r.data as unknown[]).length])).toEqual([
      ['nao-ws-iterations', 1],
      ['nao-ws-iterations', 2],
      ['nao-ws-iterations', 3],
    ]);
    const diagnostics = records.at(-1)!.data as unknown as RoundDiagnostics[];
    diagnostics.forEach((d, r) => {
      expect(d).toMatchObject({ iteration: r + 1, supernetSteps: 5, supernetLoss: 1.5, supernetDiverged: false, scored: 12, unscored: 0 });
      expect(d.supernetSeconds).toBeCloseTo(5 * 0.5 + 12 * 0.25, 9);
      expect(d.scoreSeconds).toBeCloseTo(12 * 0.25, 9);
      const metric = (a: string) => {
        const s = sharedScore(space as never, space.parse(a) as never, 5 * (r + 1));
        return goal === 'max' ? s : 200 - s;
      };
      const values = byRound[r]!.scored.map((s) => metric(s.arch)).sort((a, b) => a - b);
      expect(d.poolBest).toBeCloseTo(goal === 'max' ? values.at(-1)! : values[0]!, 3);
      expect(d.poolWorst).toBeCloseTo(goal === 'max' ? values[0]! : values.at(-1)!, 3);
    });
    for (const d of diagnostics.slice(0, 2)) {
      expect(d.generated + d.random).toBe(6);
      expect(d.trained + d.heldOut).toBe(12);
      expect(d.steps).toBeGreaterThan(0);
      expect(d.pairs.length).toBe(d.heldOut);
    }
    expect(diagnostics[2]).toMatchObject({ generated: 0, random: 0, steps: 0, pairs: [] });

    // The final pool's ranking: its top 4 in order, then a quarter of the six (rounded up) from
    // the other 8, evenly: the middle one and the bottom.
    const final = byRound[2]!.scored.map((s) => s.arch);
    const ranking = [...final].sort((a, b) => sharedScore(space as never, space.parse(b) as never, 15) - sharedScore(space as never, space.parse(a) as never, 15));
    const texts = proposed.map((a) => space.format(a as never));
    expect(texts).toEqual([...ranking.slice(0, 4), ranking[7], ranking[11]]);
    for (const a of proposed) expect(space.parse(space.format(a as never))).toEqual(a);
    // Everything is queued at once; nothing is left.
    expect(await searcher.propose(6)).toEqual([]);
  }, 120_000);
});

describe('NAO-WS re-ranking', () => {
  it('records Kendall τ between shared and standalone scores and recommends the best standalone one', async () => {
    const records: Recorded[] = [];
    const events: Event[] = [];
    const ctx = context(rnnCellSpace, 2, 6, records, events, 'min');
    const searcher = await naoWs.create(ctx);
    const proposed = await searcher.propose(6);
    const results = standalone(ctx.space, proposed, 2);
    await searcher.observe(results);

    const shared = new Map(
      events
        .filter((e): e is Extract<Event, { kind: 'score' }> => e.kind === 'score')
        .slice(-12)
        .map((e) => [e.arch, 200 - sharedScore(ctx.space, ctx.space.parse(e.arch), 15)]),
    );
    const ok = results.filter((r) => r.score !== null);
    const pairs = ok.map((r) => [shared.get(ctx.space.format(r.arch))!, -r.score!]);
    const recorded = records.at(-1)!;
    expect(recorded.kind).toBe('weight-sharing-correlation');
    const data = recorded.data as { tau: number; n: number; pairs: [number, number][] };
    expect(data.n).toBe(5);
    data.pairs.forEach(([s, t], i) => {
      expect(s).toBeCloseTo(pairs[i]![0]!, 3);
      expect(t).toBeCloseTo(pairs[i]![1]!, 3);
    });
    expect(data.tau).toBeCloseTo(kendallTau(pairs.map((p) => p[0]!), pairs.map((p) => p[1]!))!, 4);

    const best = [...ok].sort((a, b) => b.score! - a.score!)[0]!;
    expect(ctx.space.format(await searcher.recommend!())).toBe(ctx.space.format(best.arch));
  }, 120_000);

  it('continues exactly from a snapshot: same correlation, same recommendation, nothing proposed again', async () => {
    const recordsA: Recorded[] = [];
    const ctxA = context(cnnMicroSpace, 3, 6, recordsA, []);
    const a = await naoWs.create(ctxA);
    const proposed = await a.propose(4);
    const snapshot = JSON.parse(JSON.stringify(await a.snapshot())) as Json;
    await a.observe(standalone(ctxA.space, proposed));

    const recordsB: Recorded[] = [];
    const eventsB: Event[] = [];
    const b = await naoWs.create(context(cnnMicroSpace, 99, 6, recordsB, eventsB));
    await b.restore(snapshot);
    expect(await b.snapshot()).toEqual(snapshot);
    await b.observe(standalone(ctxA.space, proposed));
    expect(recordsB).toEqual([recordsA.at(-1)]);
    expect(cnnMicroSpace.format((await b.recommend!()) as never)).toBe(cnnMicroSpace.format((await a.recommend!()) as never));
    expect(await b.propose(2)).toEqual([]);
    // The restored searcher never touched its supernet.
    expect(eventsB).toEqual([]);
  }, 120_000);

  it('the same seed gives the same proposals, another seed others', async () => {
    const run = async (seed: number) => {
      const ctx = context(cnnMicroSpace, seed, 5, [], []);
      return (await (await naoWs.create(ctx)).propose(5)).map((x) => cnnMicroSpace.format(x as never));
    };
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    expect(await run(6)).not.toEqual(first);
  }, 120_000);

  it('refuses renewals that would replace the whole pool', async () => {
    const ctx = context(cnnMicroSpace, 1, 5, [], [], 'max', [...QUICK, 'new_per_iteration=8', 'random_per_iteration=4']);
    await expect(Promise.resolve().then(() => naoWs.create(ctx))).rejects.toThrow('new_per_iteration + random_per_iteration = 12 must be below pool = 12');
  });
});

describe('rerankCandidates', () => {
  const pool = [3, 9, null, 7, 1, 8, 5, 2, 6, 4].map((score, i) => ({ arch: `a${i}`, score, heldOut: null }));

  it('takes the top by shared score and spreads the rest evenly down to the bottom', () => {
    // Ranking: a1 9, a5 8, a3 7, a8 6, a6 5, a9 4, a0 3, a7 2, a4 1, a2 (unscored).
    // Two below the top six: the middle of the remaining four (a0 a7 a4 a2) and its bottom.
    expect(rerankCandidates(pool, 8, 0.25).map((m) => m.arch)).toEqual(['a1', 'a5', 'a3', 'a8', 'a6', 'a9', 'a7', 'a2']);
    expect(rerankCandidates(pool, 4, 0.5).map((m) => m.arch)).toEqual(['a1', 'a5', 'a9', 'a2']);
    expect(rerankCandidates(pool, 3, 0).map((m) => m.arch)).toEqual(['a1', 'a5', 'a3']);
  });

  it('always keeps the best, and never asks for more than the pool', () => {
    expect(rerankCandidates(pool, 1, 1).map((m) => m.arch)).toEqual(['a1']);
    expect(rerankCandidates(pool, 20, 0).map((m) => m.arch)).toHaveLength(10);
  });
});

describe('kendallTau', () => {
  it('is 1 for the same order, −1 for the reverse, and τ-b with ties', () => {
    expect(kendallTau([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // Two concordant and one discordant pair of three, no ties.
    expect(kendallTau([1, 2, 3], [1, 3, 2])).toBeCloseTo(1 / 3, 12);
    // Ties in both: (nc − nd) / √((n0 − n1)(n0 − n2)) = −4 / √(8 · 9).
    expect(kendallTau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-4 / Math.sqrt(72), 12);
  });

  it('is undefined for a constant sample or fewer than two pairs', () => {
    expect(kendallTau([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(kendallTau([5], [3])).toBeNull();
    expect(() => kendallTau([1, 2], [1])).toThrow('samples of different lengths');
  });
});
