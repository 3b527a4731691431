/**
 * GET /api/{collection}/export?format=geojson|csv|gpkg|shp|kml — the same selection as the list
 * (the collection's attribute filters, bbox and sort, plus an optional CQL2 `filter`), with no page
 * limit, as a file. Text formats stream a chunk at a time; GeoPackage and Shapefile are built in a
 * temporary folder, so a failure is answered as an error, never as half a file.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@parkatlas/db';
import { apiError, bboxParam } from '@parkatlas/schema';
import type { CollectionDef } from '../collections/definition.ts';
import { ApiProblem } from '../errors.ts';
import { collections } from '../routes/collections.ts';
import { checkFilters, fieldAccess } from '../auth/visibility.ts';
import { catalog, infoFor, type CollectionInfo } from '../ogc/catalog.ts';
import { parseCrs, STORAGE_CRS, type CrsDef } from '../ogc/crs.ts';
import { parseCql2 } from '../ogc/cql2.ts';
import { writeGeoPackage, type SrsInfo } from './gpkg.ts';
import { writeShapefileZip } from './shapefile.ts';
import { exportRows, selectionIds, type ExportQuery, type GeometryOutput } from './source.ts';
import { csvText, geojsonText, kmlText } from './text.ts';

export const EXPORT_FORMATS = ['geojson', 'csv', 'gpkg', 'shp', 'kml'] as const;
type Format = (typeof EXPORT_FORMATS)[number];

const MEDIA: Record<Format, string> = {
  geojson: 'application/geo+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  gpkg: 'application/geopackage+sqlite3',
  shp: 'application/zip',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
};
const EXTENSION: Record<Format, string> = { geojson: 'geojson', csv: 'csv', gpkg: 'gpkg', shp: 'shp.zip', kml: 'kml' };

/** What PostGIS writes for each format; `v.geom` is EPSG:4326. */
function geometrySql(format: Format, crs: CrsDef): GeometryOutput {
  const g = crs.srid === 4326 ? 'v.geom' : `ST_Transform(v.geom, ${crs.srid})`;
  switch (format) {
    case 'geojson':
      return 'ST_AsGeoJSON(v.geom, 7, 0)';
    case 'csv':
      return `ST_AsText(${g}, ${crs.decimals + 2})`;
    case 'gpkg':
      return `ST_AsBinary(${g}, 'NDR')`;
    case 'shp':
      // Shapefile outer rings run clockwise, holes counter-clockwise.
      return `ST_AsBinary(ST_ForcePolygonCW(${g}), 'NDR')`;
    case 'kml':
      return 'ST_AsKML(v.geom, 7)';
  }
}

async function srsOf(db: Db, crs: CrsDef): Promise<SrsInfo> {
  const r = await db.query<{ srtext: string }>('SELECT srtext FROM spatial_ref_sys WHERE srid = $1', [crs.srid]);
  if (!r.rows[0]) throw new Error(`EPSG:${crs.srid} is missing from spatial_ref_sys`);
  const wkt = r.rows[0].srtext;
  const name = /^[A-Z]+CS\["([^"]+)"/.exec(wkt)?.[1] ?? `EPSG:${crs.srid}`;
  return { srid: crs.srid, name, wkt };
}

function attachment(reply: FastifyReply, info: CollectionInfo, format: Format) {
  return reply
    .header('content-type', MEDIA[format])
    .header('content-disposition', `attachment; filename=${info.def.name}.${EXTENSION[format]}`)
    .header('cache-control', 'no-store');
}

/** A text stream whose first chunk (and so any early error) is produced before headers go out. */
async function streamText(reply: FastifyReply, req: FastifyRequest, gen: AsyncGenerator<string>): Promise<FastifyReply> {
  const first = await gen.next();
  async function* rest() {
    if (!first.done) yield first.value;
    try {
      for (;;) {
        const n = await gen.next();
        if (n.done) return;
        yield n.value;
      }
    } catch (e) {
      // Headers are gone: the client sees a cut stream; the log says why.
      req.log.error({ err: e, url: req.url }, 'export failed while streaming');
      throw e;
    }
  }
  return reply.send(Readable.from(rest()));
}

/** Sends a finished file and removes its folder once it is sent or the client went away. */
async function sendFile(reply: FastifyReply, dir: string, path: string): Promise<FastifyReply> {
  const size = (await stat(path)).size;
  const stream = createReadStream(path);
  stream.on('close', () => void rm(dir, { recursive: true, force: true }));
  return reply.header('content-length', size).send(stream);
}

export function registerExports(app: FastifyInstance, db: Db): void {
  for (const def of collections) registerExport(app, db, def);
}

function registerExport(app: FastifyInstance, db: Db, def: CollectionDef): void {
  const spatial = def.geometry !== undefined;
  const sortValues = def.sortable.flatMap((c) => [c, `-${c}`]) as [string, ...string[]];
  const filterSchemas = Object.fromEntries(Object.entries(def.filters).map(([k, f]) => [k, f.schema.optional()]));
  const formats = spatial ? EXPORT_FORMATS : (['geojson', 'csv', 'gpkg'] as const);
  const query = z.strictObject({
    format: z.enum(EXPORT_FORMATS).default('geojson').describe(
      spatial
        ? 'geojson (RFC 7946), csv (UTF-8 with BOM, geometry as WKT), gpkg (GeoPackage), shp (zipped Shapefile, UTF-8 .cpg, field names cut to 10 characters), kml'
        : 'geojson (features without geometry), csv (UTF-8 with BOM) or gpkg (an attributes table)',
    ),
    sort: z.enum(sortValues).default(def.idColumn).describe('Column to sort on; a leading - sorts descending'),
    ...(spatial
      ? {
        bbox: bboxParam.optional(),
        crs: z.string().max(200).optional().describe('CRS of csv, gpkg and shp coordinates (x = easting/longitude), e.g. EPSG:4548 for CGCS2000 Gauss-Krüger CM 117°E; default EPSG:4326'),
      }
      : {}),
    filter: z.string().max(20_000).optional().describe('A CQL2 text filter, as in /ogc (see /ogc/collections/{id}/queryables)'),
    ...filterSchemas,
  });

  app.withTypeProvider<ZodTypeProvider>().get(`/api/${def.name}/export`, {
    schema: {
      tags: [def.name],
      summary: `Export ${def.name} as a file (${formats.join(', ')})`,
      description: 'The same selection as the list (same filters, bbox and sort), without a page limit.',
      querystring: query,
      response: { 400: apiError },
    },
  }, async (req, reply) => {
    const { format, sort, bbox, crs: crsText, filter, ...filters } = req.query as Record<string, unknown> & {
      format: Format; sort: string; bbox?: [number, number, number, number]; crs?: string; filter?: string;
    };
    if (!(formats as readonly string[]).includes(format)) {
      throw new ApiProblem(400, 'unsupported_format', `${def.name} have no geometry: export them as ${formats.join(', ')}`, 'format');
    }
    const crs = crsText === undefined ? STORAGE_CRS : parseCrs(crsText, 'crs');
    if (crs.srid !== 4326 && (format === 'geojson' || format === 'kml')) {
      throw new ApiProblem(400, 'invalid_crs', `${format} is always longitude/latitude on WGS 84 (its standard says so); crs applies to csv, gpkg and shp`, 'crs');
    }
    const access = fieldAccess(req.identity);
    checkFilters(def, filters, access);
    const info = infoFor((await catalog(db)).get(def.name)!, access);
    const q: ExportQuery = {
      filters,
      bbox,
      sort: { column: sort.replace(/^-/, ''), descending: sort.startsWith('-') },
      cql: filter === undefined ? undefined : { node: parseCql2(filter), filterCrs: STORAGE_CRS, source: filter, queryablesUrl: `/ogc/collections/${def.name}/queryables` },
    };
    // The ids come first: a bad filter is answered as an error before any byte of the file.
    const ids = await selectionIds(db, info, q);
    const geometry = spatial ? geometrySql(format, crs) : null;
    const rows = exportRows(db, info, q, geometry, ids);
    reply.header('x-feature-count', ids.length);
    if (format === 'geojson' || format === 'csv' || format === 'kml') {
      const gen = format === 'geojson' ? geojsonText(info, rows) : format === 'csv' ? csvText(info, rows) : kmlText(info, rows);
      return streamText(attachment(reply, info, format), req, gen);
    }
    const dir = await mkdtemp(join(tmpdir(), 'parkatlas-export-'));
    try {
      const srs = spatial ? await srsOf(db, crs) : undefined;
      let path: string;
      if (format === 'gpkg') {
        path = join(dir, `${def.name}.gpkg`);
        await writeGeoPackage(path, info, srs, rows);
      } else {
        path = (await writeShapefileZip(dir, info, srs!.wkt, rows)).path;
      }
      return await sendFile(attachment(reply, info, format), dir, path);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  });
}
