import type { Report } from './build.js';
import { escapeHtml } from './escape-html.js';
import type { TableData } from './tables.js';

export interface ChartLink {
  readonly title: string;
  /** Relative to the Markdown file. */
  readonly path: string;
}

/** A table cell: names from the store are HTML-escaped (a method named `<img …>` stays text), pipes and newlines kept out. */
const cell = (s: string) => escapeHtml(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(t: TableData): string {
  return [
    `| ${t.head.map(cell).join(' | ')} |`,
    `|${t.head.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function renderMarkdown(report: Report, tables: readonly TableData[], charts: readonly ChartLink[] = []): string {
  const parts = [
    '# nasbench report',
    `Selection: ${escapeHtml(report.selection)}. Generated ${report.generatedAt}.`,
    ...tables.map((t) => [`## ${escapeHtml(t.title)}`, markdownTable(t), ...t.notes.map((n) => `_${escapeHtml(n)}_`)].join('\n\n')),
  ];
  if (charts.length > 0) parts.push(['## Charts', ...charts.map((c) => `![${escapeHtml(c.title)}](${encodeURI(c.path)})`)].join('\n\n'));
  return parts.join('\n\n') + '\n';
}
