import Papa from 'papaparse';
import { UserError } from '../errors.js';

/** One data row of a CSV table: its fields by column name, and where each is, for error messages. */
export interface CsvRow {
  field(column: string): string;
  /** A UserError saying `<file> line N[, column K (<name>)]: <message>`. */
  error(message: string, column?: string): UserError;
}

/**
 * Reads a CSV table with a header line (RFC 4180: quoted fields may hold commas, quotes and line
 * breaks), requiring the named columns and the header's number of fields on every row; blank
 * lines are skipped. papaparse reads NAS-Bench-201's 3 MB table in tens of milliseconds.
 */
export function readCsvTable(text: string, file: string, columns: readonly string[], onRow: (row: CsvRow) => void): void {
  const { data, errors } = Papa.parse<string[]>(text, { delimiter: ',' });
  const lineOf = lineFinder(data);
  const firstError = errors[0];
  if (firstError) {
    const line = firstError.index !== undefined ? lineAt(text, firstError.index) : lineOf(firstError.row ?? 0);
    throw new UserError(`${file} line ${line}: not valid CSV (${firstError.message})`);
  }
  const header = data[0]?.map((h) => h.trim());
  if (header === undefined || isBlank(data[0] as string[])) {
    throw new UserError(`${file} line 1: expected a header with ${columns.join(', ')}`);
  }
  const at = new Map(columns.map((name) => [name, columnOf(header, name, file, columns)]));
  // One row object, moved along the records: a fresh one per row would cost more than the parse.
  let r = 0;
  const row: CsvRow = {
    field: (column) => (data[r] as string[])[at.get(column) as number] as string,
    error: (message, column) => {
      const where = column === undefined ? '' : `, column ${(at.get(column) as number) + 1} (${column})`;
      return new UserError(`${file} line ${lineOf(r)}${where}: ${message}`);
    },
  };
  for (r = 1; r < data.length; r++) {
    const record = data[r] as string[];
    if (isBlank(record)) continue;
    if (record.length !== header.length) {
      throw new UserError(`${file} line ${lineOf(r)}: expected ${header.length} comma-separated fields, got ${record.length}`);
    }
    onRow(row);
  }
}

function isBlank(record: readonly string[]): boolean {
  return record.length === 1 && (record[0] as string).trim() === '';
}

function columnOf(header: readonly string[], name: string, file: string, columns: readonly string[]): number {
  const index = header.indexOf(name);
  if (index < 0) throw new UserError(`${file} line 1: missing column '${name}'; expected a header with ${columns.join(', ')}`);
  return index;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The 1-based line a record starts on, worked out only when a message needs it: each record ends
 * with one line break, plus any its quoted fields hold.
 */
function lineFinder(data: readonly string[][]): (record: number) => number {
  return (record) => {
    let line = 1;
    for (let r = 0; r < record && r < data.length; r++) {
      line++;
      for (const field of data[r] as string[]) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) line++;
    }
    return line;
  };
}
