import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '@parkatlas/db';
import { notFound } from '../errors.ts';
import { catalog, COLLECTION_TEXT, spatialCollections, type CollectionInfo } from './catalog.ts';
import { CRS84, SUPPORTED_CRS, type CrsDef } from './crs.ts';
import { escapeHtml, keyValues, linkList, page, table, type Link } from './html.ts';
import { ogcOpenApi } from './openapi.ts';
import { crsParam, encodeCursor, parseItemsQuery, rejectUnknown, wantsHtml } from './params.ts';
import { collectionExtent, getFeature, listFeatures } from './repository.ts';
import { registerOgcWrites, type WriteContext } from './writes.ts';

/** OGC API – Features at /ogc: Part 1 core, Part 2 CRS, Part 3 CQL2 filtering, Part 4 writes. */
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
  'http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions',
  'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete',
  'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update',
  'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features',
];

const JSON_TYPE = 'application/json';
const GEOJSON = 'application/geo+json';
const HTML = 'text/html';
const OPENAPI = 'application/vnd.oai.openapi+json;version=3.0';
const SCHEMA_JSON = 'application/schema+json';
const REL = 'http://www.opengis.net/def/rel/ogc/1.0';
const TITLE = 'ParkAtlas OGC API – Features (园区资源一张图)';

type Query = Record<string, string | string[] | undefined>;

/** Absolute /ogc URL of this server as the client reached it. */
function baseOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}/ogc`;
}

/** The request's own URL with some parameters replaced (undefined removes one). */
function withQuery(req: FastifyRequest, changes: Record<string, string | undefined>): string {
  const url = new URL(req.url, `${req.protocol}://${req.host}`);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  return url.toString();
}

function sendJson(reply: FastifyReply, body: unknown, type = JSON_TYPE) {
  return reply.type(`${type}; charset=utf-8`).send(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

/**
 * `head`, the texts separated by commas, then `tail`, encoded as UTF-8 straight into one buffer. A page
 * of 10,000 features is ~10 MB: joining it as a string first and encoding that (twice the memory, as
 * Chinese names make it a two-byte string) cost several times as long on the 2-core bench machine.
 */
function joinedUtf8(head: string, texts: string[], tail: string): Buffer {
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, texts.length - 1);
  for (const t of texts) size += Buffer.byteLength(t);
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0);
  texts.forEach((t, i) => {
    if (i > 0) at = out.writeUInt8(0x2c, at);
    at += out.write(t, at);
  });
  out.write(tail, at);
  return out;
}

function sendHtml(reply: FastifyReply, html: string) {
  return reply.type('text/html; charset=utf-8').send(html);
}

const crsHeader = (crs: CrsDef) => `<${crs.uri}>`;

export async function registerOgc(app: FastifyInstance, ctx: WriteContext): Promise<void> {
  const db: Db = ctx.db;
  const hide = { schema: { hide: true } };
  const infoOf = async (id: string): Promise<CollectionInfo> => {
    const info = spatialCollections.some((d) => d.name === id) ? (await catalog(db)).get(id) : undefined;
    if (!info) throw notFound('collection', id);
    return info;
  };
  const spatialInfos = async () => {
    const all = await catalog(db);
    return spatialCollections.map((d) => all.get(d.name)!);
  };

  app.get('/ogc', hide, async (req, reply) => {
    rejectUnknown(req.query as Query, ['f']);
    const base = baseOf(req);
    const links: Link[] = [
      { href: `${base}?f=json`, rel: 'self', type: JSON_TYPE, title: 'This document' },
      { href: `${base}?f=html`, rel: 'alternate', type: HTML, title: 'This document as HTML' },
      { href: `${base}/api`, rel: 'service-desc', type: OPENAPI, title: 'The API definition (OpenAPI 3.0)' },
      { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes' },
      { href: `${base}/conformance`, rel: `${REL}/conformance`, type: JSON_TYPE, title: 'Conformance classes' },
      { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'Feature collections' },
      { href: `${base}/collections`, rel: `${REL}/data`, type: JSON_TYPE, title: 'Feature collections' },
    ];
    const description = 'Corridors, areas, parks, parcels and buildings of the high-tech zone as OGC API – Features: GeoJSON in CRS84, CGCS2000 (EPSG:4490) or its Gauss-Krüger projection (EPSG:4548, 4527), filtered with CQL2.';
    if (wantsHtml(req)) {
      return sendHtml(reply, page(TITLE, [], `<p>${escapeHtml(description)}</p>${linkList(links.filter((l) => !l.rel.startsWith('http')))}`));
    }
    return sendJson(reply, { title: TITLE, description, links });
  });

  app.get('/ogc/conformance', hide, async (req, reply) => {
    rejectUnknown(req.query as Query, ['f']);
    const base = baseOf(req);
    if (wantsHtml(req)) {
      return sendHtml(reply, page('Conformance', [{ href: base, rel: 'home', title: 'Landing page' }], `<ul>${CONFORMANCE.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>`));
    }
    return sendJson(reply, { conformsTo: CONFORMANCE, links: [{ href: `${base}/conformance`, rel: 'self', type: JSON_TYPE }] });
  });

  app.get('/ogc/api', hide, async (req, reply) => {
    rejectUnknown(req.query as Query, ['f']);
    return sendJson(reply, ogcOpenApi(baseOf(req), await spatialInfos()), OPENAPI);
  });

  const collectionJson = async (req: FastifyRequest, info: CollectionInfo) => {
    const base = baseOf(req);
    const id = info.def.name;
    const extent = await collectionExtent(db, info);
    const self = `${base}/collections/${id}`;
    return {
      id,
      title: COLLECTION_TEXT[id]?.title ?? id,
      description: COLLECTION_TEXT[id]?.description ?? '',
      itemType: 'feature',
      crs: SUPPORTED_CRS.map((c) => c.uri),
      storageCrs: CRS84,
      extent: {
        spatial: { bbox: extent.bbox ? [extent.bbox] : [], crs: CRS84 },
        temporal: { interval: [extent.interval], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' },
      },
      links: [
        { href: self, rel: 'self', type: JSON_TYPE, title: 'This collection' },
        { href: `${self}?f=html`, rel: 'alternate', type: HTML, title: 'This collection as HTML' },
        { href: `${self}/items`, rel: 'items', type: GEOJSON, title: 'Features as GeoJSON' },
        { href: `${self}/items?f=html`, rel: 'items', type: HTML, title: 'Features as HTML' },
        { href: `${self}/queryables`, rel: `${REL}/queryables`, type: SCHEMA_JSON, title: 'Queryables' },
        { href: `${self}/queryables`, rel: 'queryables', type: SCHEMA_JSON, title: 'Queryables' },
        { href: `${base.replace(/\/ogc$/, '')}/api/${id}/export?format=gpkg`, rel: 'enclosure', type: 'application/geopackage+sqlite3', title: 'Everything as a GeoPackage' },
      ] satisfies Link[],
    };
  };

  app.get('/ogc/collections', hide, async (req, reply) => {
    rejectUnknown(req.query as Query, ['f']);
    const base = baseOf(req);
    const infos = await spatialInfos();
    const described = [];
    for (const info of infos) described.push(await collectionJson(req, info));
    const links: Link[] = [
      { href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'This document' },
      { href: `${base}/collections?f=html`, rel: 'alternate', type: HTML, title: 'This document as HTML' },
    ];
    if (wantsHtml(req)) {
      const rows = described.map((c) => ({ id: c.id, title: c.title, description: c.description, bbox: c.extent.spatial.bbox[0]?.join(', ') }));
      return sendHtml(reply, page('Collections', [{ href: base, rel: 'home', title: 'Landing page' }], table(['id', 'title', 'description', 'bbox'], rows, (r) => `${base}/collections/${r.id}?f=html`)));
    }
    return sendJson(reply, { links, crs: SUPPORTED_CRS.map((c) => c.uri), collections: described });
  });

  app.get('/ogc/collections/:collectionId', hide, async (req, reply) => {
    rejectUnknown(req.query as Query, ['f']);
    const info = await infoOf((req.params as { collectionId: string }).collectionId);
    const body = await collectionJson(req, info);
    if (wantsHtml(req)) {
      const base = baseOf(req);
      const facts = { id: body.id, description: body.description, 'bbox (CRS84)': body.extent.spatial.bbox[0]?.join(', '), 'last changed': body.extent.temporal.interval[0].join(' – '), 'storage CRS': body.storageCrs, CRSs: body.crs.join(' ') };
      return sendHtml(reply, page(body.title, [{ href: base, rel: 'home', title: 'Landing page' }, { href: `${base}/collections?f=html`, rel: 'data', title: 'Collections' }], keyValues(facts) + linkList(body.links)));
    }
    return sendJson(reply, body);
  });

  app.get('/ogc/collections/:collectionId/queryables', hide, async (req, reply) => {
    rejectUnknown(req.query as Query, ['f']);
    const info = await infoOf((req.params as { collectionId: string }).collectionId);
    const self = `${baseOf(req)}/collections/${info.def.name}/queryables`;
    const properties: Record<string, unknown> = {};
    const shape = info.def.properties.shape as Record<string, { description?: string }>;
    for (const q of info.queryables.values()) {
      const description = q.type === 'geometry' ? 'The feature geometry (MultiPolygon); use it in S_INTERSECTS and the other spatial functions' : shape[q.name]?.description;
      const schema: Record<string, unknown> =
        q.type === 'geometry' ? { format: 'geometry-multipolygon' }
          : q.type === 'date' ? { type: 'string', format: 'date' }
            : q.type === 'date-time' ? { type: 'string', format: 'date-time' }
              : q.type === 'array' ? { type: 'array', items: { type: 'string' } }
                : { type: q.type };
      properties[q.name] = { title: q.name, ...(description ? { description } : {}), ...schema };
    }
    const doc = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: self,
      type: 'object',
      title: COLLECTION_TEXT[info.def.name]?.title ?? info.def.name,
      properties,
      additionalProperties: false,
      // The list form of earlier Part 3 drafts, which GDAL 3.6 reads to decide what it may send as CQL.
      queryables: [...info.queryables.values()].filter((q) => q.type !== 'geometry').map((q) => ({ id: q.name, type: q.type })),
    };
    // JSON Schema's own media type when the client asks for it; GDAL (3.6) accepts only application/json.
    return sendJson(reply, doc, (req.headers.accept ?? '').includes(SCHEMA_JSON) ? SCHEMA_JSON : JSON_TYPE);
  });

  app.get('/ogc/collections/:collectionId/items', hide, async (req, reply) => {
    const info = await infoOf((req.params as { collectionId: string }).collectionId);
    const base = baseOf(req);
    const html = wantsHtml(req, ['json', 'geojson', 'html']);
    const q = parseItemsQuery(req.query as Query, info, `${base}/collections/${info.def.name}/queryables`);
    const result = await listFeatures(db, info, q);
    const links: Link[] = [
      { href: withQuery(req, { f: 'json' }), rel: 'self', type: GEOJSON, title: 'This page' },
      { href: withQuery(req, { f: 'html' }), rel: 'alternate', type: HTML, title: 'This page as HTML' },
      { href: `${base}/collections/${info.def.name}`, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
    ];
    const forward = q.before === undefined;
    if (q.usesOffset) {
      const offset = q.offset ?? 0;
      if (result.more) links.push({ href: withQuery(req, { offset: String(offset + q.limit), f: undefined }), rel: 'next', type: GEOJSON, title: 'Next page' });
      if (offset > 0) links.push({ href: withQuery(req, { offset: String(Math.max(0, offset - q.limit)), f: undefined }), rel: 'prev', type: GEOJSON, title: 'Previous page' });
    } else {
      const hasNext = forward ? result.more : result.lastId !== undefined;
      const hasPrev = forward ? q.after !== undefined && result.firstId !== undefined : result.more;
      if (hasNext && result.lastId !== undefined) links.push({ href: withQuery(req, { cursor: encodeCursor(info, 'a', result.lastId), f: undefined }), rel: 'next', type: GEOJSON, title: 'Next page' });
      if (hasPrev && result.firstId !== undefined) links.push({ href: withQuery(req, { cursor: encodeCursor(info, 'b', result.firstId), f: undefined }), rel: 'prev', type: GEOJSON, title: 'Previous page' });
    }
    reply.header('content-crs', crsHeader(q.crs));
    if (html) {
      const features = JSON.parse(`[${result.features.join(',')}]`) as { id: string | number; properties: Record<string, unknown> }[];
      const columns = ['id', ...info.columns.map((c) => c.name)];
      const rows = features.map((f) => ({ id: f.id, ...f.properties }));
      const pager = linkList(links.filter((l) => l.rel === 'next' || l.rel === 'prev').map((l) => ({ ...l, href: withQueryString(l.href, 'f', 'html') })));
      const body = `<p>${result.numberMatched} features match; ${rows.length} shown.</p>${pager}${table(columns, rows, (r) => `${base}/collections/${info.def.name}/items/${encodeURIComponent(String(r.id))}?f=html`)}`;
      return sendHtml(reply, page(`${COLLECTION_TEXT[info.def.name]?.title ?? info.def.name}: features`, [{ href: base, rel: 'home', title: 'Landing page' }, { href: `${base}/collections/${info.def.name}?f=html`, rel: 'collection', title: info.def.name }], body));
    }
    const head =
      `{"type":"FeatureCollection","numberMatched":${result.numberMatched},"numberReturned":${result.numberReturned},` +
      `"timeStamp":"${new Date().toISOString()}","links":${JSON.stringify(links)},"features":[`;
    return sendJson(reply, joinedUtf8(head, result.features, ']}'), GEOJSON);
  });

  app.get('/ogc/collections/:collectionId/items/:featureId', hide, async (req, reply) => {
    const { collectionId, featureId } = req.params as { collectionId: string; featureId: string };
    const info = await infoOf(collectionId);
    rejectUnknown(req.query as Query, ['f', 'crs']);
    const html = wantsHtml(req, ['json', 'geojson', 'html']);
    const crs = crsParam(req.query as Query, 'crs');
    const id = info.def.idKind === 'int' ? Number(featureId) : featureId;
    if (info.def.idKind === 'int' && !Number.isInteger(id)) throw notFound(info.def.label, featureId);
    const feature = await getFeature(db, info, id, crs);
    if (!feature) throw notFound(info.def.label, featureId);
    const base = baseOf(req);
    const self = `${base}/collections/${collectionId}/items/${encodeURIComponent(featureId)}`;
    const links: Link[] = [
      { href: withQuery(req, { f: 'json' }), rel: 'self', type: GEOJSON, title: 'This feature' },
      { href: `${self}?f=html`, rel: 'alternate', type: HTML, title: 'This feature as HTML' },
      { href: `${base}/collections/${collectionId}`, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
    ];
    reply.header('content-crs', crsHeader(crs)).header('etag', `"${feature.version}"`);
    if (html) {
      const f = JSON.parse(feature.json) as { properties: Record<string, unknown> };
      return sendHtml(reply, page(`${info.def.label} ${featureId}`, [{ href: base, rel: 'home', title: 'Landing page' }, { href: `${base}/collections/${collectionId}/items?f=html`, rel: 'items', title: collectionId }], keyValues(f.properties)));
    }
    return sendJson(reply, `${feature.json.slice(0, -1)},"links":${JSON.stringify(links)}}`, GEOJSON);
  });

  registerOgcWrites(app, ctx, infoOf);
}

function withQueryString(href: string, key: string, value: string): string {
  const url = new URL(href);
  url.searchParams.set(key, value);
  return url.toString();
}
