import { ApiProblem } from '../errors.ts';
import { parseCrs } from '../ogc/crs.ts';
import { IMPORT_SRIDS } from './parse/prj.ts';

/** The CRS an upload's coordinates are in: an EPSG code PostGIS transforms, or GCJ-02 (converted here). */
export interface ImportCrs {
  name: string;
  srid: number;
  /** Coordinates copied from Chinese web maps: converted to WGS84 before anything else. */
  gcj02: boolean;
}

const GCJ02 = /^(GCJ-?02|gcj02)$/i;

/** Parses the `crs` form field: EPSG:4326, EPSG:4490, EPSG:4548, EPSG:4527, EPSG:4549, their URIs, or GCJ-02. */
export function parseImportCrs(value: string): ImportCrs {
  if (GCJ02.test(value.trim())) return { name: 'GCJ-02', srid: 4326, gcj02: true };
  const crs = parseCrs(value, 'crs');
  if (!(IMPORT_SRIDS as readonly number[]).includes(crs.srid)) {
    throw new ApiProblem(422, 'unsupported_crs', `crs '${value}' cannot be imported: use ${IMPORT_SRIDS.map((s) => `EPSG:${s}`).join(', ')} or GCJ-02`, 'crs');
  }
  return { name: `EPSG:${crs.srid}`, srid: crs.srid, gcj02: false };
}

/**
 * The CRS to read a file in: the form's choice, else what the file declares, else EPSG:4326. A
 * form choice contradicting the file is refused, except GCJ-02, which files cannot declare (they
 * call it WGS 84) and CGCS2000 vs WGS 84 degrees, which are the same at map scale.
 */
export function resolveCrs(formCrs: string | undefined, declaredSrid: number | undefined): ImportCrs {
  if (formCrs === undefined || formCrs.trim() === '') {
    return declaredSrid ? { name: `EPSG:${declaredSrid}`, srid: declaredSrid, gcj02: false } : { name: 'EPSG:4326', srid: 4326, gcj02: false };
  }
  const chosen = parseImportCrs(formCrs);
  const degrees = (s: number) => s === 4326 || s === 4490;
  if (declaredSrid !== undefined && declaredSrid !== chosen.srid && !(degrees(declaredSrid) && degrees(chosen.srid))) {
    throw new ApiProblem(422, 'crs_mismatch', `crs says ${chosen.name} but the file declares EPSG:${declaredSrid}: leave crs empty to use the file's`, 'crs');
  }
  return chosen;
}
