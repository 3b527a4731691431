import { ApiProblem } from '../errors.ts';

/**
 * The coordinate reference systems the OGC API (Part 2) and the exports can answer in. Storage is
 * EPSG:4326 with longitude first (CRS84 order); PostGIS transforms with PROJ on both drivers.
 *
 * Axis order follows the CRS's own definition, as OGC API – Features Part 2 requires and as GDAL
 * reads it: EPSG:4326 and EPSG:4490 are latitude, longitude; the CGCS2000 Gauss-Krüger CRSs are
 * northing (X), easting (Y); EPSG:3857 and CRS84 are x, y. Files (GeoPackage, Shapefile, CSV WKT)
 * always hold x = easting/longitude, the order their formats define.
 *
 * Note on the Gauss-Krüger codes (checked against PROJ's EPSG database, `gdalsrsinfo EPSG:n`):
 * the 3-degree zone with central meridian 117° E, which holds Jining (≈116.6° E), is EPSG:4548
 * without zone prefix and EPSG:4527 with zone number 39 (false easting 39 500 000 m). EPSG:4549 is
 * the neighbouring zone, CM 120° E; it is offered too, because other agencies ask for it by number.
 */
export interface CrsDef {
  uri: string;
  srid: number;
  /** Coordinates are written and read second axis first relative to PostGIS's x, y. */
  flip: boolean;
  /** Decimals worth writing: 7 for degrees (about 1 cm), 3 for metres. */
  decimals: number;
  title: string;
  /** Degrees (bbox checks apply) or metres. */
  geographic: boolean;
}

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const epsg = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`;

export const SUPPORTED_CRS: readonly CrsDef[] = [
  { uri: CRS84, srid: 4326, flip: false, decimals: 7, geographic: true, title: 'WGS 84, longitude/latitude (CRS84)' },
  { uri: epsg(4326), srid: 4326, flip: true, decimals: 7, geographic: true, title: 'WGS 84, latitude/longitude' },
  { uri: epsg(4490), srid: 4490, flip: true, decimals: 7, geographic: true, title: 'CGCS2000, latitude/longitude' },
  { uri: epsg(4548), srid: 4548, flip: true, decimals: 3, geographic: false, title: 'CGCS2000 / 3-degree Gauss-Kruger CM 117E (northing, easting)' },
  { uri: epsg(4527), srid: 4527, flip: true, decimals: 3, geographic: false, title: 'CGCS2000 / 3-degree Gauss-Kruger zone 39 (northing, easting)' },
  { uri: epsg(4549), srid: 4549, flip: true, decimals: 3, geographic: false, title: 'CGCS2000 / 3-degree Gauss-Kruger CM 120E (northing, easting)' },
  { uri: epsg(3857), srid: 3857, flip: false, decimals: 3, geographic: false, title: 'WGS 84 / Pseudo-Mercator' },
];

export const STORAGE_CRS = SUPPORTED_CRS[0];

/**
 * The CRS a parameter names. The OGC URI is the contract; the short forms `EPSG:4326`,
 * `urn:ogc:def:crs:EPSG::4326` and `[EPSG:4326]` (safe CURIE) mean the same CRS, axis order included.
 */
export function parseCrs(value: string, field: string): CrsDef {
  const v = value.trim();
  const found = SUPPORTED_CRS.find((c) => c.uri === v || (c.uri === CRS84 ? /^(OGC:)?CRS84$|^urn:ogc:def:crs:OGC:1\.3:CRS84$/i.test(v) : sameEpsg(v, c.srid)));
  if (!found) {
    throw new ApiProblem(400, 'invalid_crs', `${field} '${value.slice(0, 200)}' is not a supported CRS; use one of ${SUPPORTED_CRS.map((c) => c.uri).join(', ')}`, field);
  }
  return found;
}

function sameEpsg(v: string, srid: number): boolean {
  const m = /^(?:https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/|EPSG:|\[EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:)(\d+)\]?$/i.exec(v);
  return m !== null && Number(m[1]) === srid && (!v.startsWith('[') || v.endsWith(']'));
}

/** SQL for the stored geometry `expr` (EPSG:4326) in `crs`, axis order included. */
export function geometryIn(expr: string, crs: CrsDef): string {
  const transformed = crs.srid === 4326 ? expr : `ST_Transform(${expr}, ${crs.srid})`;
  return crs.flip ? `ST_FlipCoordinates(${transformed})` : transformed;
}

/**
 * SQL for a geometry given in `crs` (axis order included) as EPSG:4326, so it can be compared
 * with the stored column and its index. `srid` literals come from the table above, never a request.
 */
export function geometryFrom(expr: string, crs: CrsDef): string {
  const xy = crs.flip ? `ST_FlipCoordinates(${expr})` : expr;
  return crs.srid === 4326 ? xy : `ST_Transform(${xy}, 4326)`;
}

/**
 * A bbox of 4 (or 6, with heights, which are ignored) numbers in `crs` axis order, as
 * [minX, minY, maxX, maxY] in PostGIS x, y order of that CRS.
 */
export function parseBbox(value: string, crs: CrsDef, field = 'bbox'): [number, number, number, number] {
  const parts = value.split(',').map((p) => (p.trim() === '' ? NaN : Number(p.trim())));
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((n) => !Number.isFinite(n))) {
    throw new ApiProblem(400, 'invalid_query', `${field} must be 4 numbers (or 6 with heights) separated by commas`, field);
  }
  const [a, b, c, d] = parts.length === 6 ? [parts[0], parts[1], parts[3], parts[4]] : parts;
  // In axis order: lower corner (axis 1, axis 2), upper corner (axis 1, axis 2).
  const [minX, minY, maxX, maxY] = crs.flip ? [b, a, d, c] : [a, b, c, d];
  if (minX > maxX || minY > maxY) {
    throw new ApiProblem(400, 'invalid_query', `${field}: the lower corner must come first (${axisNames(crs)})`, field);
  }
  if (crs.geographic && (minY < -90 || maxY > 90 || minX < -180 || maxX > 180)) {
    throw new ApiProblem(400, 'invalid_query', `${field}: degrees out of range for ${crs.uri} (${axisNames(crs)})`, field);
  }
  return [minX, minY, maxX, maxY];
}

function axisNames(crs: CrsDef): string {
  if (crs.geographic) return crs.flip ? 'minLat,minLon,maxLat,maxLon' : 'minLon,minLat,maxLon,maxLat';
  return crs.flip ? 'minNorthing,minEasting,maxNorthing,maxEasting' : 'minX,minY,maxX,maxY';
}
