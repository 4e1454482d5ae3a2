import type { Summary } from './stats.js';

export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

export function meanStd(s: Summary | null, digits = 2): string {
  return s === null ? '–' : `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
}

export function interval(s: Summary | null, digits = 2): string {
  return s?.ci95 ? `[${s.ci95[0].toFixed(digits)}, ${s.ci95[1].toFixed(digits)}]` : '–';
}

export function pValue(p: number | null): string {
  if (p === null) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** Two or three significant figures, never scientific notation below a million. */
export function amount(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

/** A mean count (architectures per search): whole when every run agrees. */
export function meanCount(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

export function count(n: number | null): string {
  if (n === null) return '–';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

export function duration(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

/**
 * 'gpu' → 'GPU': the device a time was measured on, so that CPU time is never read as GPU time.
 * A kind that names its device ('gpu (nvidia: …)' from WebGPU, 'cpu (software Vulkan, …)' for
 * a software adapter) counts as its class.
 */
export function deviceName(kind: string): string {
  const type = /^(gpu|cpu)( \(.*\))?$/.exec(kind)?.[1];
  return type === undefined ? kind : type.toUpperCase();
}

/**
 * Device time per kind in hours or days, e.g. "0.52 GPU-days" or "3.1 CPU-hours + 0.20 GPU-hours";
 * table lookups use no device and say so.
 */
export function deviceTime(secondsByKind: Readonly<Record<string, number>>, unit: 'hours' | 'days', per = 1): string {
  const scale = unit === 'hours' ? 3600 : 86400;
  const byName = new Map<string, number>();
  for (const [kind, s] of Object.entries(secondsByKind)) {
    const name = kind === 'none' ? kind : deviceName(kind);
    byName.set(name, (byName.get(name) ?? 0) + s);
  }
  const parts = [...byName]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => (name === 'none' ? `no device (table lookup, ${duration(s / per)})` : `${amount(s / per / scale)} ${name}-${unit}`));
  return parts.length > 0 ? parts.join(' + ') : '–';
}
