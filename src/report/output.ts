import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import type { ChartSpec } from './charts.js';
import type { ChartLink } from './markdown.js';

/** Where the PNG charts of a report written to `out` go: `<name>-charts/` beside it. */
export function chartFolder(out: string): string {
  return join(dirname(out), `${basename(out, extname(out))}-charts`);
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Renders every chart to `<folder>/<id>.png` (removing the folder's older PNGs); returns links relative to the folder's parent. */
export async function writeCharts(charts: readonly ChartSpec[], folder: string): Promise<ChartLink[]> {
  // Charts of an earlier report (other tasks, say) must not linger beside the new ones.
  if (existsSync(folder)) for (const f of readdirSync(folder)) if (f.endsWith('.png')) rmSync(join(folder, f));
  if (charts.length === 0) return [];
  // Chart.js and the Skia canvas load only for reports that draw PNGs.
  const { renderPng } = await import('./png.js');
  mkdirSync(folder, { recursive: true });
  return charts.map((c) => {
    const file = join(folder, `${c.id}.png`);
    writeFileSync(file, renderPng(c));
    return { title: c.title, path: relative(dirname(folder), file).split('\\').join('/') };
  });
}
