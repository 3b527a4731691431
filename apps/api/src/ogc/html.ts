/**
 * The HTML face of the OGC API (conformance class "html"): plain server-rendered pages that a
 * person can browse from the landing page down to one feature, with no script and nothing fetched
 * from elsewhere, so they work on an offline intranet.
 */
export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font:15px/1.5 system-ui,"Noto Sans SC",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2733}
a{color:#0b5cad}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccd;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eef2f7}nav{margin-bottom:1rem;font-size:13px}code{background:#f3f4f6;padding:0 3px}`;

/** A whole page: breadcrumbs, a heading, and the given body (already escaped HTML). */
export function page(title: string, crumbs: Link[], body: string): string {
  const nav = crumbs.map((c) => `<a href="${escapeHtml(c.href)}">${escapeHtml(c.title ?? c.rel)}</a>`).join(' › ');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><nav>${nav}</nav><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function linkList(links: Link[]): string {
  const items = links.map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title ?? l.rel)}</a> <small>(${escapeHtml(l.rel)}${l.type ? `, ${escapeHtml(l.type)}` : ''})</small></li>`);
  return `<ul>${items.join('')}</ul>`;
}

/** Rows of objects as a table with the given columns. */
export function table(columns: string[], rows: Record<string, unknown>[], linkColumn?: (row: Record<string, unknown>) => string): string {
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => {
    const cells = columns.map((c, i) => {
      const v = r[c];
      const text = escapeHtml(Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : v);
      return `<td>${i === 0 && linkColumn ? `<a href="${escapeHtml(linkColumn(r))}">${text}</a>` : text}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table>${head}${body.join('')}</table>`;
}

/** One object's keys and values as a two-column table. */
export function keyValues(values: Record<string, unknown>): string {
  return table(['name', 'value'], Object.entries(values).map(([name, value]) => ({ name, value })));
}
