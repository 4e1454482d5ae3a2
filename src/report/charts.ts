/**
 * Chart.js configurations for the report, as plain JSON so that the same charts render in Node
 * (PNG) and in the HTML report; `hydrate` adds the few callbacks JSON cannot carry.
 */
import type { Report } from './build.js';
import type { AnytimeCurves, Curve, Distribution, PredictionScatter } from './curves.js';
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

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const color = (i: number) => PALETTE[i % PALETTE.length]!;
const translucent = (hex: string, alpha: number) => `${hex}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const WIDTH = 900;
const HEIGHT = 480;

export function reportCharts(report: Report): ChartSpec[] {
  return [
    ...(report.anytime ?? []).flatMap((a) => [anytimeChart(a, 'evaluations'), anytimeChart(a, 'hours')]),
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

/** Mean best-so-far per method with a ±1 std band over seeds. */
function anytimeChart(a: AnytimeCurves, by: 'evaluations' | 'hours'): ChartSpec {
  const curves: readonly Curve[] = by === 'evaluations' ? a.byEvaluations : a.byDeviceHours;
  const kinds = [...new Set(a.deviceKinds.map((k) => (k === 'none' ? 'no device: table lookups' : deviceName(k))))].join(', ');
  const xLabel = by === 'evaluations' ? 'architectures evaluated' : `device-hours (${kinds || 'unknown device'})`;
  const name = `${a.task}: best-so-far ${a.objective} vs ${by === 'evaluations' ? 'evaluations' : 'device-hours'}`;
  const datasets = curves.flatMap((c, i) => {
    const line = (y: (p: Curve['points'][number]) => number) => c.points.map((p) => ({ x: p.x, y: y(p) }));
    const band = { borderWidth: 0, pointRadius: 0, band: true, backgroundColor: translucent(color(i), 0.18) };
    return [
      { ...band, label: `${c.label} − std`, data: line((p) => p.mean - p.std), fill: false },
      { ...band, label: `${c.label} + std`, data: line((p) => p.mean + p.std), fill: '-1' },
      { label: `${c.label} (mean ± std over seeds)`, data: line((p) => p.mean), borderColor: color(i), backgroundColor: color(i), borderWidth: 2, pointRadius: 0, fill: false },
    ];
  });
  return {
    id: `anytime-${by}-${slug(a.task)}`,
    title: name,
    width: WIDTH,
    height: HEIGHT,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        plugins: { title: title(name), legend: { position: 'bottom' } },
        scales: { x: axis(xLabel, by === 'evaluations' ? { min: 0, max: Math.max(0, ...curves.flatMap((c) => c.points.map((p) => p.x))) } : { min: 0 }), y: axis(a.objective) },
      },
    },
    hints: by === 'evaluations' ? { hideBands: true } : { hideBands: true, xPrecision: 2 },
  };
}

/** A box (quartiles, whiskers to the extremes, median mark) with every run's result jittered beside it. */
function distributionChart(d: Distribution): ChartSpec {
  const groups = d.groups;
  const name = `${d.task}: final ${d.metric} per method (one point per seed)`;
  // Null entries (a method without results) keep each bar's colour at its method's index.
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
          { ...bar, label: 'interquartile range', data: box, backgroundColor: groups.map((_, i) => translucent(color(i), 0.35)), borderColor: groups.map((_, i) => color(i)), borderWidth: 1, order: 2 },
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

function predictionChart(p: PredictionScatter): ChartSpec {
  const name = `${p.task}: NAO performance predictor, predicted vs true`;
  const all = p.series.flatMap((s) => s.points.flatMap((q) => [q.predicted, q.actual]));
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return {
    id: `predictions-${slug(p.task)}`,
    title: name,
    width: WIDTH,
    height: HEIGHT,
    config: {
      type: 'scatter',
      data: {
        datasets: [
          ...p.series.map((s, i) => ({ label: s.label, data: s.points.map((q) => ({ x: q.predicted, y: q.actual })), backgroundColor: translucent(color(i), 0.6), pointRadius: 3 })),
          { type: 'line', label: 'predicted = true', data: [{ x: lo, y: lo }, { x: hi, y: hi }], borderColor: '#888888', borderDash: [6, 4], pointRadius: 0, borderWidth: 1 },
        ],
      },
      options: {
        plugins: { title: title(name), legend: { position: 'bottom' } },
        scales: { x: axis(`predicted ${p.objective}`), y: axis(`true ${p.objective}`) },
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
