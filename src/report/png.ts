import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import { hydrate, type ChartSpec } from './charts.js';

Chart.register(...registerables);

/** Renders a chart to PNG in Node: Chart.js drawing on a Skia canvas, no browser. */
export function renderPng(spec: ChartSpec): Buffer {
  const canvas = createCanvas(spec.width, spec.height);
  // Chart.js accepts any object with getContext; outside a DOM it draws at the canvas's own size.
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, hydrate(spec, false));
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
