import type { FastifyReply } from 'fastify';

/** Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; without one Chinese is garbled. */
const BOM = '\uFEFF';

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A text cell that starts
 * like a formula (= + - @) gets a leading apostrophe so a spreadsheet shows it instead of running it.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A table as a UTF-8 CSV file with a BOM, CRLF line ends, the columns in the given order. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): Buffer {
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}

/** Answers `rows` as a CSV download named `<name>.csv`. */
export function sendCsv(reply: FastifyReply, name: string, columns: readonly string[], rows: readonly Record<string, unknown>[]) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(toCsv(columns, rows));
}
