import type { Queryable as DbQueryable } from '@parkatlas/db';
import { attributeSql, mayQuery, type FieldAccess } from '../auth/visibility.ts';
import type { CollectionDef } from '../collections/definition.ts';
import { collections } from '../routes/collections.ts';
import type { Queryable, QueryableType } from './cql2.ts';

/**
 * What HTTP needs to know about the tables behind each collection: the public attributes (the
 * keys of the collection's response schema), each checked against the real columns of its view and
 * typed from the database, as pg_featureserv's catalog does. Read once per database.
 */
export interface Column {
  name: string;
  type: QueryableType;
  /** PostgreSQL's name of the type, e.g. numeric, date, text[]. */
  sqlType: string;
}

export interface CollectionInfo {
  def: CollectionDef;
  /** The attribute columns, in the order of the collection's schema. */
  columns: Column[];
  /** The properties a CQL2 filter may name; `geometry` for spatial collections. */
  queryables: Map<string, Queryable>;
  /** Whose view this is: which sensitive attributes it shows (all, in the catalog itself). */
  access: FieldAccess;
}

/**
 * The collection as one reader may see it: hidden attributes are neither written out nor
 * queryable, and for staff limited to some parks their values show only on rows in those parks.
 */
export function infoFor(info: CollectionInfo, access: FieldAccess): CollectionInfo {
  if (access === 'all' || !info.def.sensitive) return info;
  const shown = info.columns.filter((c) => attributeSql(info.def, c.name, access) !== undefined);
  const queryables = new Map([...info.queryables].filter(([name]) => mayQuery(info.def, name, access)));
  return { ...info, columns: shown, queryables, access };
}

/** Titles and descriptions shown by /ogc/collections. */
export const COLLECTION_TEXT: Record<string, { title: string; description: string }> = {
  corridors: { title: 'Development corridors (三廊)', description: 'The three development corridors of the zone: Haichuan Road TBD, Xipu Road industrial, Liao River ecological.' },
  areas: { title: 'Development areas (七片区)', description: 'The seven development areas of the zone.' },
  parks: { title: 'Specialized parks (专业园区)', description: 'The specialized parks, with theme industries, operator and management committee.' },
  parcels: { title: 'Land parcels (宗地)', description: 'Every land parcel with its GB 50137 land use, status, development dates, plot-ratio limits, price and land user; park, area and corridor derived from geometry.' },
  buildings: { title: 'Buildings (建筑)', description: 'Building footprints with floors, height, floor area, use, status and vacancy derived from leases.' },
  units: { title: 'Rentable units', description: 'Rentable or saleable spaces in buildings.' },
  enterprises: { title: 'Enterprises', description: 'Companies in the zone.' },
  leases: { title: 'Leases', description: 'Enterprises occupying units or parcels over time.' },
  projects: { title: 'Investment projects', description: 'Investment projects of the zone.' },
};

export const spatialCollections = collections.filter((d) => d.geometry !== undefined);

function typeOf(dataType: string, udt: string): QueryableType {
  switch (dataType) {
    case 'integer':
    case 'bigint':
    case 'smallint':
      return 'integer';
    case 'numeric':
    case 'double precision':
    case 'real':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return 'date-time';
    case 'ARRAY':
      return 'array';
    case 'USER-DEFINED':
      return udt === 'geometry' ? 'geometry' : 'string';
    default:
      return 'string';
  }
}

const cache = new WeakMap<object, Promise<Map<string, CollectionInfo>>>();

async function load(db: DbQueryable): Promise<Map<string, CollectionInfo>> {
  const views = collections.map((d) => d.view);
  const r = await db.query<{ view: string; name: string; data_type: string; udt: string }>(
    `SELECT table_name AS view, column_name AS name, data_type, udt_name AS udt
     FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    [views],
  );
  const out = new Map<string, CollectionInfo>();
  for (const def of collections) {
    const real = new Map(r.rows.filter((c) => c.view === def.view).map((c) => [c.name, c]));
    const columns: Column[] = [];
    for (const name of Object.keys(def.properties.shape)) {
      const c = real.get(name);
      // A schema key without a column would be a programming error; it is left out, never guessed.
      if (!c) continue;
      const sqlType = c.data_type === 'ARRAY' ? `${c.udt.replace(/^_/, '')}[]` : c.data_type;
      columns.push({ name, type: typeOf(c.data_type, c.udt), sqlType });
    }
    const queryables = new Map<string, Queryable>(columns.map((c) => [c.name, { name: c.name, column: c.name, type: c.type }]));
    if (def.geometry && real.has('geom')) queryables.set('geometry', { name: 'geometry', column: 'geom', type: 'geometry' });
    out.set(def.name, { def, columns, queryables, access: 'all' });
  }
  return out;
}

/** The catalog of every collection, read from the database once. */
export function catalog(db: DbQueryable): Promise<Map<string, CollectionInfo>> {
  let c = cache.get(db);
  if (!c) {
    c = load(db);
    c.catch(() => cache.delete(db));
    cache.set(db, c);
  }
  return c;
}
