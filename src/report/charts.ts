/**
 * Chart.js configurations for the report, as plain JSON so that the same charts render in Node
 * (PNG) and in the HTML report; `hydrate` adds the few callbacks JSON cannot carry.
 */
import type { Report } from './build.js';
import type { AnytimeCurves, Curve, Distribution, PredictionScatter } from './curves.js';
import { dashesByMethod, methodColor, pointStylesByMethod, translucent } from './colors.js';
import { deviceName } from './numbers.js';

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  /** A Chart.js configuration without functions. */
  readonly config: { readonly type: string; readonly data: unknown; readonly options: unknown };
  readonly hints: {
    /** Datasets flagged `band` (the ±std edges) stay out of the legend. */
    readonly hideBands?: boolean;
    /** Category names for integer positions on a linear x axis. */
    readonly xLabels?: readonly string[];
    /** Label x ticks with this many significant digits (device-hours span many magnitudes). */
    readonly xPrecision?: number;
  };
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const WIDTH = 900;
const HEIGHT = 480;

export function reportCharts(report: Report): ChartSpec[] {
  return [
    ...(report.anytime ?? []).flatMap((a) => [
      anytimeChart(a, 'evaluations'),
      // Table lookups use no device: their "device time" is the lookups' own, which means nothing.
      ...(a.deviceKinds.some((k) => k !== 'none') ? [anytimeChart(a, 'hours')] : []),
      ...(a.incumbent.length > 0 ? [incumbentChart(a)] : []),
      ...(a.regret.length > 0 ? [regretChart(a)] : []),
    ]),
    ...report.distributions.filter((d) => d.groups.some((g) => g.values.length > 0)).map(distributionChart),
    ...report.predictions.map(predictionChart),
  ];
}

function title(text: string) {
  return { display: true, text, font: { size: 15 } };
}

function axis(text: string, extra: Record<string, unknown> = {}) {
  return { type: 'linear', title: { display: true, text }, ...extra };
}

/** Axis bounds around values, on a round step, so that the data fill the chart (never a fixed 0–100). */
export function fittedRange(values: readonly number[]): { min: number; max: number } | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const [lo, hi] = [Math.min(...finite), Math.max(...finite)];
  const span = hi - lo || Math.max(Math.abs(hi) * 0.01, 1e-6);
  const step = 10 ** Math.floor(Math.log10(span)) / 2;
  const pad = span * 0.05;
  return { min: Math.floor((lo - pad) / step) * step, max: Math.ceil((hi + pad) / step) * step };
}

type Point = Curve['points'][number];

/** A mean line per group with a ±1 std band, coloured by method (dashed for a method's further settings). */
function curveDatasets(curves: readonly Curve[], legend: string, band: (p: Point) => [number, number] = (p) => [p.mean - p.std, p.mean + p.std], mean: (p: Point) => number | null = (p) => p.mean) {
  const dashes = dashesByMethod(curves.map((c) => c.method));
  return curves.flatMap((c, i) => {
    const colour = methodColor(c.method);
    const line = (y: (p: Point) => number | null) => c.points.map((p) => ({ x: p.x, y: y(p) }));
    const edge = { borderWidth: 0, pointRadius: 0, band: true, backgroundColor: translucent(colour, 0.15) };
    return [
      { ...edge, label: `${c.label} − std`, data: line((p) => band(p)[0]), fill: false },
      { ...edge, label: `${c.label} + std`, data: line((p) => band(p)[1]), fill: '-1' },
      { label: `${c.label} (${legend})`, data: line(mean), borderColor: colour, backgroundColor: colour, borderDash: dashes[i], borderWidth: 2, pointRadius: 0, fill: false, spanGaps: false },
    ];
  });
}

function lineChart(id: string, name: string, datasets: unknown[], x: Record<string, unknown>, y: Record<string, unknown>, hints: ChartSpec['hints']): ChartSpec {
  return {
    id,
    title: name,
    width: WIDTH,
    height: HEIGHT,
    config: { type: 'line', data: { datasets }, options: { plugins: { title: title(name), legend: { position: 'bottom' } }, scales: { x, y } } },
    hints,
  };
}

const lastX = (curves: readonly Curve[]) => Math.max(0, ...curves.flatMap((c) => c.points.map((p) => p.x)));
const means = (curves: readonly Curve[]) => curves.flatMap((c) => c.points.map((p) => p.mean));

/** Mean best-so-far search objective per group with a ±1 std band over seeds. */
function anytimeChart(a: AnytimeCurves, by: 'evaluations' | 'hours'): ChartSpec {
  const curves: readonly Curve[] = by === 'evaluations' ? a.byEvaluations : a.byDeviceHours;
  const kinds = [...new Set(a.deviceKinds.map((k) => (k === 'none' ? 'no device: table lookups' : deviceName(k))))].join(', ');
  const xLabel = by === 'evaluations' ? 'architectures evaluated' : `device-hours (${kinds || 'unknown device'})`;
  const name = `${a.task}: best-so-far ${a.objective} vs ${by === 'evaluations' ? 'evaluations' : 'device-hours'}`;
  return lineChart(
    `anytime-${by}-${slug(a.task)}`,
    name,
    curveDatasets(curves, 'mean ± std over seeds'),
    axis(xLabel, by === 'evaluations' ? { min: 0, max: lastX(curves) } : { min: 0 }),
    axis(a.objective, { ...fittedRange(means(curves)) }),
    by === 'evaluations' ? { hideBands: true } : { hideBands: true, xPrecision: 2 },
  );
}

/** The reported result (e.g. 200-epoch test accuracy) of each run's incumbent, by evaluations. */
function incumbentChart(a: AnytimeCurves): ChartSpec {
  const name = `${a.task}: ${a.result} of the incumbent (the best cell by the search signal so far)`;
  return lineChart(
    `incumbent-${slug(a.task)}`,
    name,
    curveDatasets(a.incumbent, 'mean ± std over seeds'),
    axis('architectures evaluated', { min: 0, max: lastX(a.incumbent) }),
    axis(a.result, { ...fittedRange(means(a.incumbent)) }),
    { hideBands: true },
  );
}

/**
 * The incumbent's regret against the task's optimum on a log axis. A log axis cannot show 0: a mean
 * regret of 0 (every seed's incumbent is the optimum) leaves a gap, and the band's lower edge is
 * cut at the axis floor.
 */
function regretChart(a: AnytimeCurves): ChartSpec {
  const name = `${a.task}: regret of the incumbent (optimum − ${a.result}), log scale`;
  const positive = means(a.regret).filter((m) => m > 0);
  const floor = positive.length > 0 ? 10 ** Math.floor(Math.log10(Math.min(...positive) / 2)) : 1e-3;
  return lineChart(
    `regret-${slug(a.task)}`,
    name,
    curveDatasets(
      a.regret,
      'mean over seeds; band ± std, cut at the axis',
      (p) => [Math.max(p.mean - p.std, floor), Math.max(p.mean + p.std, floor)],
      (p) => (p.mean > 0 ? p.mean : null),
    ),
    axis('architectures evaluated', { min: 0, max: lastX(a.regret) }),
    { type: 'logarithmic', min: floor, title: { display: true, text: `regret (${a.result})` } },
    { hideBands: true },
  );
}

/** A box (quartiles, whiskers to the extremes, median mark) with every run's result jittered beside it. */
function distributionChart(d: Distribution): ChartSpec {
  const groups = d.groups;
  const name = `${d.task}: final ${d.metric} per method (one point per seed)`;
  const colours = groups.map((g) => methodColor(g.method));
  // Null entries (a method without results) keep each bar at its method's position.
  const box = groups.map((g, i) => (g.quartiles ? { x: i, y: [g.quartiles[0], g.quartiles[2]] } : null));
  const whisker = groups.map((g, i) => (g.values.length > 0 ? { x: i, y: [Math.min(...g.values), Math.max(...g.values)] } : null));
  const all = groups.flatMap((g) => g.values);
  // The median is a bar of a sliver's height, so that it spans the box's width at any size.
  const sliver = Math.max(Math.max(...all) - Math.min(...all), 1e-9) * 0.004;
  const median = groups.map((g, i) => (g.quartiles ? { x: i, y: [g.quartiles[1] - sliver, g.quartiles[1] + sliver] } : null));
  const points = groups.flatMap((g, i) => g.values.map((v, k) => ({ x: i + jitter(k), y: v })));
  const bar = { type: 'bar', barPercentage: 0.5, categoryPercentage: 1, grouped: false };
  return {
    id: `final-${slug(d.task)}`,
    title: name,
    width: WIDTH,
    height: HEIGHT,
    config: {
      type: 'bar',
      data: {
        // Higher `order` is drawn first: whiskers, then boxes, medians, and the runs on top.
        datasets: [
          { ...bar, label: 'runs', type: 'scatter', data: points, pointRadius: 2.5, backgroundColor: translucent('#333333', 0.5), borderWidth: 0, order: 0 },
          { ...bar, label: 'median', data: median, backgroundColor: '#222222', order: 1 },
          { ...bar, label: 'interquartile range', data: box, backgroundColor: colours.map((c) => translucent(c, 0.35)), borderColor: colours, borderWidth: 1, order: 2 },
          { ...bar, label: 'min–max', data: whisker, backgroundColor: '#888888', barPercentage: 0.012, order: 3 },
        ],
      },
      options: {
        plugins: { title: title(name), legend: { position: 'bottom' } },
        scales: {
          x: axis('method', { min: -0.5, max: groups.length - 0.5, offset: false, grid: { display: false }, ticks: { stepSize: 1, autoSkip: false } }),
          y: axis(d.metric, { beginAtZero: false }),
        },
      },
    },
    hints: { xLabels: groups.map((g) => g.label) },
  };
}

/** Deterministic spread of a group's points across a third of its slot. */
function jitter(k: number): number {
  const golden = 0.6180339887498949;
  return ((k * golden) % 1) * 0.3 - 0.15;
}

const tauText = (tau: number | null) => (tau === null ? 'τ undefined' : `τ = ${tau.toFixed(2)}`);

/** Predicted against true per group, with Kendall τ in the legend (and the title, for one group) and y = x drawn over the points. */
function predictionChart(p: PredictionScatter): ChartSpec {
  const only = p.series.length === 1 ? ` (${tauText(p.series[0]!.tau)})` : '';
  const name = `${p.task}: NAO performance predictor, predicted vs true${only}`;
  const range = fittedRange(p.series.flatMap((s) => s.points.flatMap((q) => [q.predicted, q.actual]))) ?? { min: 0, max: 1 };
  const shapes = pointStylesByMethod(p.series.map((s) => s.method));
  return {
    id: `predictions-${slug(p.task)}`,
    title: name,
    width: WIDTH,
    height: HEIGHT,
    config: {
      type: 'scatter',
      data: {
        // Higher `order` is drawn first: the points, then the y = x line on top of them.
        datasets: [
          { type: 'line', label: 'predicted = true', data: [{ x: range.min, y: range.min }, { x: range.max, y: range.max }], borderColor: '#222222', borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, order: 0 },
          ...p.series.map((s, i) => ({
            label: `${s.label}: ${tauText(s.tau)} over ${s.points.length}${s.points.length < s.pairs ? ` of ${s.pairs}` : ''} pairs`,
            data: s.points.map((q) => ({ x: q.predicted, y: q.actual })),
            backgroundColor: translucent(methodColor(s.method), 0.55),
            // A method's settings share its colour; the shape tells them apart.
            pointStyle: shapes[i],
            pointRadius: shapes[i] === 'circle' ? 3 : 4,
            order: 1,
          })),
        ],
      },
      options: {
        plugins: { title: title(name), legend: { position: 'bottom' } },
        // The same range on both axes, so that y = x is the diagonal.
        scales: { x: axis(`predicted ${p.objective}`, { ...range }), y: axis(`true ${p.objective}`, { ...range }) },
      },
    },
    hints: {},
  };
}

/**
 * A Chart.js configuration from a spec: its callbacks and a white background. Self-contained
 * (no imports, no helpers) because the HTML report embeds its source text.
 */
export function hydrate(spec: ChartSpec, responsive: boolean): any {
  const config: any = JSON.parse(JSON.stringify(spec.config));
  const options: any = config.options || (config.options = {});
  options.responsive = responsive;
  options.maintainAspectRatio = false;
  options.animation = false;
  const plugins: any = options.plugins || (options.plugins = {});
  if (spec.hints.hideBands) {
    const legend: any = plugins.legend || (plugins.legend = {});
    const labels: any = legend.labels || (legend.labels = {});
    labels.filter = (item: any, data: any) => !data.datasets[item.datasetIndex].band;
  }
  const names = spec.hints.xLabels;
  if (names) {
    const name = (value: number) => (Number.isInteger(value) && names[value] !== undefined ? names[value] : '');
    // One tick per category, whatever the linear scale would have chosen.
    options.scales.x.afterBuildTicks = (scale: any) => {
      scale.ticks = names.map((_: string, i: number) => ({ value: i }));
    };
    options.scales.x.ticks.callback = (value: number) => name(value);
    const tooltip: any = plugins.tooltip || (plugins.tooltip = {});
    tooltip.callbacks = { title: (items: any[]) => (items.length > 0 ? name(Math.round(items[0].parsed.x)) : '') };
  }
  const precision = spec.hints.xPrecision;
  if (precision) {
    const ticks: any = options.scales.x.ticks || (options.scales.x.ticks = {});
    ticks.callback = (value: number) => String(Number(Number(value).toPrecision(precision)));
  }
  config.plugins = [
    {
      id: 'background',
      beforeDraw(chart: any) {
        const ctx = chart.ctx;
        ctx.save();
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, chart.width, chart.height);
        ctx.restore();
      },
    },
  ];
  return config;
}
