/**
 * The text formats, streamed a chunk at a time: GeoJSON (RFC 7946), CSV (UTF-8 with a BOM, so
 * Excel shows Chinese; geometry as WKT) and KML 2.2 (attributes as typed ExtendedData).
 */
import type { CollectionInfo, Column } from '../ogc/catalog.ts';
import type { ExportRow } from './source.ts';

type Chunks = AsyncIterable<ExportRow[]>;

export async function* geojsonText(info: CollectionInfo, chunks: Chunks): AsyncGenerator<string> {
  yield `{"type":"FeatureCollection","name":${JSON.stringify(info.def.name)},"features":[`;
  let first = true;
  for await (const rows of chunks) {
    const parts = rows.map((r) => `{"type":"Feature","id":${JSON.stringify(r.id)},"geometry":${r.geom ?? 'null'},"properties":${r.props}}`);
    if (parts.length === 0) continue;
    yield (first ? '' : ',') + parts.join(',');
    first = false;
  }
  yield ']}\n';
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. Text that starts
 * like a spreadsheet formula (= + - @) gets a leading apostrophe so it is shown, not run.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export async function* csvText(info: CollectionInfo, chunks: Chunks): AsyncGenerator<string> {
  const names = info.columns.map((c) => c.name);
  const spatial = info.def.geometry !== undefined;
  yield '\uFEFF' + [...names, ...(spatial ? ['wkt'] : [])].join(',') + '\r\n';
  for await (const rows of chunks) {
    let out = '';
    for (const r of rows) {
      const p = JSON.parse(r.props) as Record<string, unknown>;
      const cells = names.map((n) => csvCell(p[n]));
      // WKT never starts like a formula, and is quoted for its commas.
      if (spatial) cells.push(r.geom === null ? '' : `"${r.geom}"`);
      out += cells.join(',') + '\r\n';
    }
    if (out) yield out;
  }
}

export function xmlEscape(value: unknown): string {
  // Characters XML 1.0 forbids are dropped; the five specials are escaped.
  return String(value)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const KML_TYPES: Record<Column['type'], string> = {
  string: 'string', integer: 'int', number: 'double', boolean: 'bool', date: 'string', 'date-time': 'string', array: 'string', geometry: 'string',
};

function kmlValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(';');
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

export async function* kmlText(info: CollectionInfo, chunks: Chunks): AsyncGenerator<string> {
  const name = info.def.name;
  const fields = info.columns.map((c) => `<SimpleField name="${xmlEscape(c.name)}" type="${KML_TYPES[c.type]}"/>`).join('');
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document id="root_doc">` +
    `<Schema name="${name}" id="${name}">${fields}</Schema><Folder><name>${name}</name>\n`;
  for await (const rows of chunks) {
    let out = '';
    for (const r of rows) {
      const p = JSON.parse(r.props) as Record<string, unknown>;
      const data = info.columns
        .filter((c) => p[c.name] !== null && p[c.name] !== undefined)
        .map((c) => `<SimpleData name="${xmlEscape(c.name)}">${xmlEscape(kmlValue(p[c.name]))}</SimpleData>`)
        .join('');
      // KML's own <name> labels the placemark; GDAL (LIBKML) reads it as the `name` attribute too.
      const label = typeof p.name === 'string' ? `<name>${xmlEscape(p.name)}</name>` : '';
      out += `<Placemark id="${xmlEscape(`${name}.${r.id}`)}">${label}<ExtendedData><SchemaData schemaUrl="#${name}">${data}</SchemaData></ExtendedData>${r.geom ?? ''}</Placemark>\n`;
    }
    if (out) yield out;
  }
  yield '</Folder></Document></kml>\n';
}
