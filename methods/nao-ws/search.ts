import type { Arch, EpdReport, EpdWeights, Json, PoolMember, SearchContext, Supernet, Tensorflow } from 'nasbench/api';
import { DiagnosticKind, NOT_TRAINED, assignHoldout, initialEpdWeights, poolStats, randomUnique, replaceBottom, round4, scorePool, trainAndGenerate } from 'nasbench/api';
import type { NaoWsSettings } from './params.js';

/** What the search uses of the run's context (whatever the method's parameters). */
export type SearchCtx = Pick<SearchContext, 'space' | 'rng' | 'task' | 'record' | 'log'>;

/** Diagnostics kind: the list of the search's rounds so far (one record, rewritten after every round). */
export const ITERATIONS_DIAGNOSTIC = DiagnosticKind.predictorRounds;

/** One round of the search, as `nasbench show` lists it. Scores are in the search objective's units. */
export interface RoundDiagnostics extends EpdReport {
  readonly iteration: number;
  readonly supernetSteps: number;
  readonly supernetLoss: number | null;
  readonly supernetDiverged: boolean;
  /** The supernet's device time in this round (training and scoring). */
  readonly supernetSeconds: number;
  readonly scoreSeconds: number;
  readonly scored: number;
  /** Pool members whose shared-weight score was not finite. */
  readonly unscored: number;
  readonly poolBest: number | null;
  readonly poolMedian: number | null;
  readonly poolWorst: number | null;
  /** The renewal after the round's scoring (none after the last round): the EPD's training set and what replaced the bottom. */
  readonly trained: number;
  readonly heldOut: number;
  readonly generated: number;
  readonly random: number;
  readonly etaMean: number | null;
  readonly etaMax: number | null;
}

/**
 * The NAO-WS search: a random pool, then `iterations` rounds of (train the supernet on
 * architectures drawn uniformly from the pool; score every pool member with the shared weights on
 * the same validation minibatches; between rounds, train the EPD on those scores and replace the
 * bottom of the pool by what it generates from the top, plus a few random architectures). Returns
 * the pool with its last round's scores.
 */
export async function searchPool(tf: Tensorflow, ctx: SearchCtx, settings: NaoWsSettings, supernet: Supernet): Promise<PoolMember[]> {
  // The EPD continues from one round to the next, as in NAO.
  const model = { weights: initialEpdWeights(tf, settings.epd.model, () => ctx.rng.int(2 ** 31)) };
  const seen = new Set<string>();
  let pool = randomUnique(ctx, settings.pool, seen).map((arch): PoolMember => ({ arch, score: null, heldOut: null }));
  for (const m of pool) seen.add(m.arch);
  const rounds: RoundDiagnostics[] = [];

  for (let iteration = 1; iteration <= settings.iterations; iteration++) {
    const start = supernet.deviceSeconds;
    const training = await trainOnPool(ctx, supernet, pool, Math.round(settings.supernetEpochs * supernet.epochSteps));
    const scoringStart = supernet.deviceSeconds;
    pool = await scorePool(ctx, supernet, pool, Math.min(settings.scoreBatches, supernet.validBatches));
    const scoreSeconds = supernet.deviceSeconds - scoringStart;
    const stats = poolStats(ctx, pool);

    const renewal = iteration < settings.iterations ? renew(tf, ctx, settings, model, pool, seen) : null;
    if (renewal) pool = renewal.pool;
    rounds.push({
      iteration,
      supernetSteps: training.steps,
      supernetLoss: Number.isFinite(training.meanLoss) ? round4(training.meanLoss) : null,
      supernetDiverged: training.diverged,
      supernetSeconds: round4(supernet.deviceSeconds - start)!,
      scoreSeconds: round4(scoreSeconds)!,
      ...stats,
      ...(renewal?.report ?? NOT_TRAINED),
      trained: renewal?.trained ?? 0,
      heldOut: renewal?.heldOut ?? 0,
      generated: renewal?.generated.length ?? 0,
      random: renewal?.random ?? 0,
      etaMean: renewal && renewal.generated.length > 0 ? round4(renewal.generated.reduce((s, g) => s + g.eta, 0) / renewal.generated.length) : null,
      etaMax: renewal && renewal.generated.length > 0 ? Math.max(...renewal.generated.map((g) => g.eta)) : null,
    });
    ctx.record(ITERATIONS_DIAGNOSTIC, [...rounds] as unknown as Json);
    ctx.log.info(describeRound(rounds.at(-1)!, settings.iterations, ctx.task.objective.metric));
  }
  return pool;
}

/** Supernet steps on architectures drawn uniformly from the pool (one draw per step, from the run's rng). */
async function trainOnPool(ctx: SearchCtx, supernet: Supernet, pool: readonly PoolMember[], steps: number) {
  const archs = pool.map((m): Arch => ctx.space.parse(m.arch));
  return supernet.train(steps, () => archs[ctx.rng.int(archs.length)]!);
}

/**
 * Trains the EPD on the pool's shared scores and replaces the bottom of the pool by the
 * architectures it generates from the top-k and by random ones (also standing in for new ones the
 * decoder did not produce). Nothing that was ever in the pool comes back.
 */
function renew(tf: Tensorflow, ctx: SearchCtx, settings: NaoWsSettings, model: { weights: EpdWeights }, pool: PoolMember[], seen: Set<string>) {
  assignHoldout(pool, settings.holdout, ctx.rng);
  const ok = pool.filter((m) => m.score !== null);
  const train = ok.filter((m) => !m.heldOut);
  const heldOut = ok.filter((m) => m.heldOut);
  const scores = train.map((m) => m.score as number);
  // Min-max targets need two different scores; without them the EPD has nothing to learn.
  const learnable = scores.length >= 2 && Math.max(...scores) > Math.min(...scores);
  const { report, generated } = learnable
    ? trainAndGenerate(tf, ctx, settings.epd, model, { train, heldOut, ok }, { wanted: settings.newPerIteration, known: seen })
    : { report: NOT_TRAINED, generated: [] };
  const keys = generated.map((g) => g.key);
  const random = randomUnique(ctx, settings.randomPerIteration + settings.newPerIteration - keys.length, new Set([...seen, ...keys]));
  for (const key of [...keys, ...random]) seen.add(key);
  return { pool: replaceBottom(pool, [...keys, ...random]), report, trained: train.length, heldOut: heldOut.length, generated, random: random.length };
}

function describeRound(r: RoundDiagnostics, of: number, metric: string): string {
  const epd = r.generated + r.random > 0 ? ` · EPD ${r.generated} new + ${r.random} random replace the bottom` : '';
  return (
    `round ${r.iteration}/${of}: supernet ${r.supernetSteps} steps, loss ${r.supernetLoss ?? 'n/a'}${r.supernetDiverged ? ' (diverged)' : ''}, ` +
    `${r.supernetSeconds.toFixed(0)} s · pool ${metric} best ${r.poolBest} median ${r.poolMedian} worst ${r.poolWorst}${epd}`
  );
}
