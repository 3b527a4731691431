/**
 * The commit of an import: every row in one transaction, set-based rather than row by row. Rows
 * are staged in a temporary table (their geometries are the job's `import_geometry` rows), stored
 * items updated (only the attributes the file has; the others keep their values), new ones inserted
 * (absent attributes take the column default), and one `change` row per item written with its actor
 * and its before and after, as the API shows them.
 */
import type { Queryable } from '@parkatlas/db';
import type { CollectionDef } from '../collections/definition.ts';
import { attributePairs, GEOMETRY_GEOJSON, selectItems } from '../collections/repository.ts';
import { BATCH } from './validate.ts';
import type { PreparedRow } from './rows.ts';

/** Column defaults from the catalog (our own migrations' SQL, never a request's). */
async function columnDefaults(q: Queryable, table: string): Promise<Map<string, string | null>> {
  const r = await q.query<{ name: string; dflt: string | null }>(
    `SELECT column_name AS name, column_default AS dflt FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return new Map(r.rows.map((x) => [x.name, x.dflt]));
}

/** The snapshot stored in `change.before/after`, { properties, geometry }, from the item's JSON as jsonb. */
function snapshot(def: CollectionDef, j: string): string {
  return def.geometry
    ? `jsonb_build_object('properties', ${j} -> 'properties', 'geometry', ${j} -> 'geometry')`
    : `jsonb_build_object('properties', ${j}, 'geometry', NULL)`;
}

/**
 * The same snapshot built as jsonb straight from the collection's view `v`: the attributes and
 * geometry of selectItems(def, 'all'), without printing the item as JSON text and parsing it back
 * (jsonb holds equal values either way: numbers go through their text form in both).
 */
function snapshotFromView(def: CollectionDef): string {
  const geometry = def.geometry ? `${GEOMETRY_GEOJSON}::jsonb` : 'NULL';
  return `jsonb_build_object('properties', jsonb_build_object(${attributePairs(def, 'all')}), 'geometry', ${geometry})`;
}

export async function commitRows(
  q: Queryable,
  job: string,
  def: CollectionDef,
  rows: PreparedRow[],
  actor: string,
  onBatch: (done: number) => Promise<void>,
  ms: Record<string, number> = {},
): Promise<{ created: number; updated: number }> {
  let t0 = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    ms[step] = Math.round(now - t0);
    t0 = now;
  };
  const t = def.table;
  const id = def.idColumn;
  const spatial = def.geometry !== undefined;
  // A whole file's write (and the kept statistics refreshed at its COMMIT) may outlast the per-statement
  // limit meant for requests (PARKATLAS_STATEMENT_TIMEOUT_MS); this transaction lifts it for itself.
  await q.query('SET LOCAL statement_timeout = 0');
  await q.query(`CREATE TEMP TABLE import_stage (row_no integer, id text PRIMARY KEY, props jsonb NOT NULL, existed boolean) ON COMMIT DROP`);
  // Geometries were staged, in EPSG:4326, by the validation (import_geometry, by job and row): only
  // the attributes cross again, and the statements below join the two in one pass each.
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH).map((r) => ({ r: r.row, id: r.id, p: r.values }));
    await q.query(`INSERT INTO import_stage (row_no, id, props) SELECT (e->>'r')::int, e->>'id', e->'p' FROM jsonb_array_elements($1::jsonb) e`, [JSON.stringify(batch)]);
    await onBatch(Math.min(i + BATCH, rows.length));
  }
  if (spatial) {
    const staged = await q.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM import_stage s JOIN import_geometry g ON g.job = $1 AND g.row_no = s.row_no',
      [job],
    );
    const missing = rows.filter((r) => r.geometry).length - staged.rows[0].n;
    if (missing !== 0) throw new Error(`${missing} geometries of this import were not staged by its validation`);
  }
  lap('write_stage');
  // Decided inside the transaction, with the rows locked, so a concurrent write cannot slip between.
  await q.query(`SELECT 1 FROM ${t} WHERE ${id} IN (SELECT id FROM import_stage) FOR UPDATE`);
  await q.query(`UPDATE import_stage s SET existed = EXISTS (SELECT 1 FROM ${t} x WHERE x.${id} = s.id)`);
  await q.query(
    `CREATE TEMP TABLE import_before ON COMMIT DROP AS
     SELECT b.id::text AS id, b.json FROM (${selectItems(def, 'all')} WHERE v.${id} IN (SELECT id FROM import_stage WHERE existed)) b`,
  );

  lap('write_lock');
  const columns = Object.keys(def.input.shape).filter((c) => c !== id);
  const defaults = await columnDefaults(q, t);
  const given = (c: string, otherwise: string) => `CASE WHEN s.props ? '${c}' THEN r.${c} ELSE ${otherwise} END`;

  const updated = await q.query(
    `UPDATE ${t} x SET ${columns.map((c) => `${c} = ${given(c, `x.${c}`)}`).join(', ')}
       ${spatial ? ', geom = coalesce(g.geom, x.geom)' : ''}, version = x.version + 1, updated_at = now()
     FROM import_stage s
     CROSS JOIN jsonb_populate_record(NULL::${t}, s.props) r
     ${spatial ? 'LEFT JOIN import_geometry g ON g.job = $1 AND g.row_no = s.row_no' : ''}
     WHERE x.${id} = s.id AND s.existed`,
    spatial ? [job] : [],
  );
  lap('write_update');
  const created = await q.query(
    `INSERT INTO ${t} (${id}, ${columns.join(', ')}${spatial ? ', geom' : ''}, version)
     SELECT s.id, ${columns.map((c) => given(c, defaults.get(c) ?? 'NULL')).join(', ')}${spatial ? ', g.geom' : ''},
            coalesce((SELECT max(c.version) FROM change c WHERE c.entity = $1 AND c.entity_id = s.id), 0) + 1
     FROM import_stage s
     CROSS JOIN jsonb_populate_record(NULL::${t}, s.props) r
     ${spatial ? 'LEFT JOIN import_geometry g ON g.job = $2 AND g.row_no = s.row_no' : ''}
     WHERE NOT s.existed`,
    spatial ? [t, job] : [t],
  );
  lap('write_insert');
  // One history row per item, its `after` as the API now shows it.
  await q.query(
    `INSERT INTO change (entity, entity_id, version, operation, actor, before, after)
     SELECT $1, v.${id}::text, v.version, CASE WHEN b.id IS NULL THEN 'create' ELSE 'update' END, $2,
            CASE WHEN b.id IS NULL THEN NULL ELSE ${snapshot(def, 'b.json::jsonb')} END, ${snapshotFromView(def)}
     FROM ${def.view} v
     LEFT JOIN import_before b ON b.id = v.${id}::text
     WHERE v.${id} IN (SELECT id FROM import_stage)
     ORDER BY v.${id}`,
    [t, actor],
  );
  lap('write_history');
  return { created: created.rowCount, updated: updated.rowCount };
}
