import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Report } from './build.js';
import { hydrate, type ChartSpec } from './charts.js';
import type { TableData } from './tables.js';
import { escapeHtml } from './escape-html.js';

const escape = escapeHtml;

/** Text placed inside <script>: nothing in it may close the element early. */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

let chartJs: string | undefined;

/** Chart.js's browser bundle from the installed package, inlined so the report works offline. */
function chartJsSource(): string {
  if (chartJs === undefined) {
    const entry = createRequire(import.meta.url).resolve('chart.js');
    chartJs = readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '');
  }
  return chartJs;
}

function tableHtml(t: TableData): string {
  const head = t.head.map((h) => `<th>${escape(h)}</th>`).join('');
  const rows = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('\n');
  const notes = t.notes.map((n) => `<li>${escape(n)}</li>`).join('');
  return `<section class="table" id="${escape(t.id)}">
<h2>${escape(t.title)}</h2>
<table data-table="${escape(t.id)}"><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>
${notes ? `<ul class="notes">${notes}</ul>` : ''}
</section>`;
}

function chartHtml(c: ChartSpec): string {
  return `<figure class="chart"><div style="height:${c.height}px"><canvas id="chart-${escape(c.id)}" data-chart="${escape(c.id)}" role="img" aria-label="${escape(c.title)}"></canvas></div></figure>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta { color: #555; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; white-space: nowrap; }
th { background: #f3f3f3; }
tbody tr:hover { background: #fafafa; }
.notes { color: #555; font-size: 0.9em; padding-left: 1.2rem; }
figure.chart { margin: 1.5rem 0; max-width: 960px; }
`;

/** One self-contained HTML file: the tables, and the charts drawn by the inlined Chart.js. */
export function renderHtml(report: Report, tables: readonly TableData[], charts: readonly ChartSpec[]): string {
  const specs = scriptSafe(JSON.stringify(charts));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nasbench report: ${escape(report.selection)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>nasbench report</h1>
<p class="meta">Selection: ${escape(report.selection)}. Generated ${escape(report.generatedAt)}.</p>
${tables.map(tableHtml).join('\n')}
${charts.length > 0 ? `<section id="charts"><h2>Charts</h2>\n${charts.map(chartHtml).join('\n')}\n</section>` : ''}
<script>${scriptSafe(chartJsSource())}</script>
<script type="application/json" id="chart-specs">${specs}</script>
<script>
const hydrate = ${hydrate.toString()};
for (const spec of JSON.parse(document.getElementById('chart-specs').textContent)) {
  new Chart(document.getElementById('chart-' + spec.id), hydrate(spec, true));
}
document.documentElement.dataset.charts = 'drawn';
</script>
</body>
</html>
`;
}
