/**
 * Which supported CRS a .prj (ESRI or OGC WKT 1, or WKT 2) describes. Authority codes are trusted
 * when present; ESRI .prj files have none, so the datum, projection, central meridian and false
 * easting decide. Anything else is refused: guessing a CRS would silently misplace every parcel.
 */
import { ApiProblem } from '../../errors.ts';

/** EPSG codes an import may be in (issue 6): WGS 84, CGCS2000, and its Gauss-Krüger zones near Jining. */
export const IMPORT_SRIDS = [4326, 4490, 4548, 4527, 4549] as const;

function number(wkt: string, param: string): number | undefined {
  const m = new RegExp(`PARAMETER\\["${param}",\\s*([-+0-9.eE]+)`, 'i').exec(wkt);
  return m ? Number(m[1]) : undefined;
}

/** The EPSG code of a supported CRS, or a 422 naming `field` and the CRS the text describes. */
export function sridOfWkt(wkt: string, field: string): number {
  const text = wkt.trim();
  const name = /^(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\["([^"]*)"/i.exec(text)?.[1] ?? text.slice(0, 80);
  // The outermost authority is the last one: AUTHORITY["EPSG","4548"]] or WKT 2 ID["EPSG",4548]].
  const authority = /(?:AUTHORITY|ID)\["EPSG",\s*"?(\d+)"?\]\]\s*$/i.exec(text);
  if (authority) {
    const srid = Number(authority[1]);
    if ((IMPORT_SRIDS as readonly number[]).includes(srid)) return srid;
    throw unsupported(`EPSG:${srid} (${name})`, field);
  }
  const cgcs2000 = /China[ _]Geodetic[ _]Coordinate[ _]System[ _]2000|China[ _]2000|CGCS[ _]?2000/i.test(text);
  const wgs84 = /WGS[ _]?(19)?84/i.test(text);
  if (/^PROJ(CS|CRS)\[/i.test(text)) {
    const tm = /Transverse[ _]Mercator|Gauss[ _]Kruger/i.test(text);
    const cm = number(text, 'central_meridian') ?? number(text, 'Longitude of natural origin');
    const fe = number(text, 'false_easting') ?? number(text, 'False easting');
    if (cgcs2000 && tm && cm === 117 && fe === 500000) return 4548;
    if (cgcs2000 && tm && cm === 117 && fe === 39500000) return 4527;
    if (cgcs2000 && tm && cm === 120 && fe === 500000) return 4549;
    throw unsupported(name, field);
  }
  if (cgcs2000) return 4490;
  if (wgs84) return 4326;
  throw unsupported(name, field);
}

export function unsupported(what: string, field: string): ApiProblem {
  return new ApiProblem(
    422,
    'unsupported_crs',
    `the ${field === 'prj' ? '.prj file' : field} describes ${what}, which cannot be imported: use EPSG:4326, EPSG:4490 (CGCS2000), ` +
      `a CGCS2000 Gauss-Krüger zone (EPSG:4548, EPSG:4527, EPSG:4549) or GCJ-02`,
    field,
  );
}
