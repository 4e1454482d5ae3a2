import type { Store } from '../store/store.js';
import { buildReport, reportTables, type Report } from './build.js';
import type { FidelityTable } from './preset-fidelity.js';
import { reportCharts } from './charts.js';
import { renderCsv } from './csv.js';
import { renderMarkdown, type ChartLink } from './markdown.js';
import { chartFolder, pruneCharts, writeAtomically, writeCharts } from './output.js';
import type { ReportContext } from './provenance.js';
import type { Selection } from './selection.js';
import { wrapLines, type Width } from './terminal-fit.js';
import { terminalTable } from './terminal-table.js';
import { jsonSafe, terminalSafe } from './terminal-text.js';

export const REPORT_FORMATS = ['table', 'markdown', 'csv', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderRequest {
  readonly format: ReportFormat;
  /** Add the block of published results. */
  readonly published: boolean;
  /** The measured agreement of the trained tasks' presets (see ReportOptions). */
  readonly fidelity?: FidelityTable;
  /** Write the report to this file (else it is returned as text). */
  readonly out?: string | undefined;
  /** With `out`, also PNG charts in `<name>-charts/` beside it (html has its charts inline). */
  readonly charts: boolean;
  /** The store's path and the rendering nasbench, for the reproducibility header. */
  readonly context?: ReportContext;
  /** Columns the table format must fit when printed (not with `out`: a file gets full width); null or absent: full width. */
  readonly width?: Width;
}

export interface Rendered {
  readonly report: Report;
  /** The report in its format; null when the selection holds no runs. */
  readonly text: string | null;
  /** The PNG charts written beside `out`, and their folder. */
  readonly pngs: { readonly count: number; readonly folder: string } | null;
}

/**
 * Report text without control characters (names come from the store; inlined Chart.js has none).
 * JSON keeps every value, with the controls JSON.stringify leaves raw written as escapes.
 */
function safe(format: ReportFormat, text: string): string {
  return format === 'json' ? jsonSafe(text) : terminalSafe(text);
}

/** The report as text in `format`; with `pngFolder`, its charts are written there first (Markdown links them). */
async function render(report: Report, format: ReportFormat, pngFolder: string | null, width: Width): Promise<{ text: string; links: ChartLink[] }> {
  const tables = reportTables(report);
  const charts = format === 'html' || pngFolder !== null ? reportCharts(report) : [];
  const links = pngFolder !== null ? await writeCharts(charts, pngFolder) : [];
  switch (format) {
    case 'table':
      return { text: tables.map((t) => `${wrapLines(t.title, width)}\n${terminalTable(t, width)}`).join('\n\n') + '\n', links };
    case 'markdown':
      return { text: renderMarkdown(report, tables, links), links };
    case 'csv':
      return { text: renderCsv(report.leaderboard), links };
    case 'json':
      return { text: JSON.stringify(report, null, 2) + '\n', links };
    case 'html':
      return { text: (await import('./html.js')).renderHtml(report, tables, charts), links };
  }
}

/**
 * Builds the report of a selection and renders it in a format. With `out`, the file is written
 * whole or not at all, its PNG charts first, and an earlier report's other charts are removed
 * once the new report links its own.
 */
export async function renderReport(store: Store, selection: Selection, req: RenderRequest): Promise<Rendered> {
  const pngFolder = req.out !== undefined && req.charts && req.format !== 'html' ? chartFolder(req.out) : null;
  const report = buildReport(store, selection, { curves: pngFolder !== null || req.format === 'html' || req.format === 'json', published: req.published, ...(req.fidelity ? { fidelity: req.fidelity } : {}), context: req.context });
  if (report.leaderboard.length === 0) return { report, text: null, pngs: null };
  const rendered = await render(report, req.format, pngFolder, req.out === undefined ? (req.width ?? null) : null);
  const text = safe(req.format, rendered.text);
  if (req.out !== undefined) {
    writeAtomically('--out', req.out, text);
    if (pngFolder !== null) pruneCharts(pngFolder, rendered.links);
  }
  return { report, text, pngs: pngFolder !== null ? { count: rendered.links.length, folder: pngFolder } : null };
}
