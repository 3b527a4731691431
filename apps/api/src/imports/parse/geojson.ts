import { ApiProblem } from '../../errors.ts';
import { countVertices, TooManyVertices, tooManyVertices, type Geometry } from './geometry.ts';
import { IMPORT_SRIDS, unsupported } from './prj.ts';
import type { ParsedFile, ParsedRow } from './types.ts';

const GEOMETRY_TYPES = new Set(['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon']);

/** A GeoJSON FeatureCollection (or one Feature). A legacy `crs` member (GeoJSON 2008) is honoured. */
export function parseGeoJson(text: string): ParsedFile {
  let doc: { type?: string; features?: unknown[]; crs?: { properties?: { name?: string } } };
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ApiProblem(422, 'broken_file', `the file is not valid JSON: ${(e as Error).message}`, 'file');
  }
  const features = doc?.type === 'FeatureCollection' ? doc.features : doc?.type === 'Feature' ? [doc] : undefined;
  if (!Array.isArray(features)) throw new ApiProblem(422, 'broken_file', 'the GeoJSON is neither a FeatureCollection nor a Feature', 'file');
  let declaredSrid: number | undefined;
  const crsName = doc.crs?.properties?.name;
  if (typeof crsName === 'string' && !/CRS84$/i.test(crsName)) {
    const code = /EPSG:{1,2}(\d+)$|EPSG\/0\/(\d+)$/i.exec(crsName);
    const srid = code ? Number(code[1] ?? code[2]) : NaN;
    if (!(IMPORT_SRIDS as readonly number[]).includes(srid)) throw unsupported(crsName, 'crs');
    declaredSrid = srid;
  }
  const fields = new Set<string>();
  const rows: ParsedRow[] = features.map((f, i) => {
    const feature = (f ?? {}) as { properties?: Record<string, unknown> | null; geometry?: Geometry | null; id?: unknown };
    const properties = { ...(feature.properties ?? {}) };
    for (const k of Object.keys(properties)) fields.add(k);
    const row: ParsedRow = { row: i + 1, properties, geometry: null };
    const g = feature.geometry;
    if (g !== null && g !== undefined) {
      if (typeof g !== 'object' || !GEOMETRY_TYPES.has(String(g.type)) || !Array.isArray(g.coordinates)) {
        row.geometryError = `geometry type '${String((g as { type?: unknown }).type)}' is not a GeoJSON point, line or polygon`;
      } else {
        try {
          countVertices(g);
        } catch (e) {
          if (e instanceof TooManyVertices) throw tooManyVertices(i + 1, e);
          throw e;
        }
        row.geometry = g;
      }
    }
    return row;
  });
  return { format: 'geojson', rows, fields: [...fields], declaredSrid };
}
