import type { Db, Queryable } from '@parkatlas/db';
import { spaceSearchCriteria, type SpaceSearchCriteria } from '@parkatlas/schema';
import { ApiProblem, notFound } from '../errors.ts';
import { checkCriteriaCodes, searchSettings, searchSpaces } from '../spaces/search.ts';

/**
 * Saved searches and their alerts. A saved search's match set is every space its criteria admit
 * (hard criteria and tolerances; up to MATCH_CAP, best first). Evaluating it diffs the current set
 * against the stored one: a space in the new set and not the old raises one alert. The first
 * evaluation (when the search is saved) only records the set: an investor is told about spaces that
 * newly match, not the ones it saw when it saved the search.
 */
export const MATCH_CAP = 1000;

const iso = (col: string) => `to_jsonb(${col}) #>> '{}'`;

export interface SavedSearchRow {
  id: number;
  owner: string;
  name: string | null;
  criteria: Record<string, unknown>;
  webhook_url: string | null;
  created_at: string;
  last_evaluated_at: string | null;
  matches: number;
}

export interface AlertRow {
  id: number;
  saved_search: number;
  saved_search_name: string | null;
  owner: string;
  kind: 'unit' | 'parcel';
  space: string;
  score: number | null;
  link: string;
  created_at: string;
  read_at: string | null;
  webhook_status: string | null;
}

const SAVED_COLUMNS = `s.id::float8 AS id, s.owner, s.name, s.criteria, s.webhook_url, ${iso('s.created_at')} AS created_at,
  ${iso('s.last_evaluated_at')} AS last_evaluated_at,
  (SELECT count(*)::int FROM saved_search_match m WHERE m.saved_search = s.id) AS matches`;
const ALERT_COLUMNS = `a.id::float8 AS id, a.saved_search::float8 AS saved_search, s.name AS saved_search_name, a.owner, a.kind, a.space,
  a.score, a.link, ${iso('a.created_at')} AS created_at, ${iso('a.read_at')} AS read_at, a.webhook_status`;

export async function createSavedSearch(db: Db, input: { owner: string; name?: string; criteria: SpaceSearchCriteria; webhook_url?: string }): Promise<number> {
  await checkCriteriaCodes(db, input.criteria);
  const r = await db.query<{ id: number }>(
    `INSERT INTO saved_search (owner, name, criteria, webhook_url) VALUES ($1::text, $2::text, $3::jsonb, $4::text) RETURNING id::float8 AS id`,
    [input.owner, input.name ?? null, JSON.stringify(input.criteria), input.webhook_url ?? null],
  );
  return r.rows[0].id;
}

export async function getSavedSearch(q: Queryable, id: number): Promise<SavedSearchRow | undefined> {
  return (await q.query<SavedSearchRow>(`SELECT ${SAVED_COLUMNS} FROM saved_search s WHERE s.id = $1::bigint`, [id])).rows[0];
}

export async function listSavedSearches(q: Queryable, owner?: string): Promise<SavedSearchRow[]> {
  return (await q.query<SavedSearchRow>(`SELECT ${SAVED_COLUMNS} FROM saved_search s WHERE ($1::text IS NULL OR s.owner = $1::text) ORDER BY s.id`, [owner ?? null])).rows;
}

export async function deleteSavedSearch(q: Queryable, id: number): Promise<void> {
  const r = await q.query(`DELETE FROM saved_search WHERE id = $1::bigint`, [id]);
  if (r.rowCount === 0) throw notFound('saved search', String(id));
}

export async function listAlerts(q: Queryable, owner: string, unreadOnly: boolean, limit: number): Promise<{ items: AlertRow[]; unread: number }> {
  const items = await q.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alert a JOIN saved_search s ON s.id = a.saved_search
     WHERE a.owner = $1::text AND (NOT $2::boolean OR a.read_at IS NULL) ORDER BY a.id DESC LIMIT $3::int`,
    [owner, unreadOnly, limit],
  );
  const unread = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert WHERE owner = $1::text AND read_at IS NULL`, [owner]);
  return { items: items.rows, unread: unread.rows[0].n };
}

export async function alertOwner(q: Queryable, id: number): Promise<string | undefined> {
  return (await q.query<{ owner: string }>(`SELECT owner FROM alert WHERE id = $1::bigint`, [id])).rows[0]?.owner;
}

export async function markAlertRead(q: Queryable, id: number): Promise<AlertRow> {
  const r = await q.query(`UPDATE alert SET read_at = coalesce(read_at, now()) WHERE id = $1::bigint`, [id]);
  if (r.rowCount === 0) throw notFound('alert', String(id));
  return (await q.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alert a JOIN saved_search s ON s.id = a.saved_search WHERE a.id = $1::bigint`, [id])).rows[0];
}

export interface Evaluated {
  search: SavedSearchRow;
  alerts: AlertRow[];
}

/**
 * Evaluates saved searches (all, or those given) one transaction each: the saved search is locked
 * first, so two evaluations at once cannot both alert the same new match.
 */
export async function evaluateSavedSearches(db: Db, ids?: number[]): Promise<Evaluated[]> {
  const targets = await db.query<{ id: number }>(
    `SELECT id::float8 AS id FROM saved_search WHERE ($1::bigint[] IS NULL OR id = ANY($1::bigint[])) ORDER BY id`,
    [ids ?? null],
  );
  const out: Evaluated[] = [];
  for (const { id } of targets.rows) {
    const done = await db.tx(async (q) => {
      const locked = await q.query<{ criteria: unknown; first: boolean }>(
        `SELECT criteria, last_evaluated_at IS NULL AS first FROM saved_search WHERE id = $1::bigint FOR UPDATE`,
        [id],
      );
      if (!locked.rows.length) return undefined; // deleted meanwhile
      const parsed = spaceSearchCriteria.safeParse(locked.rows[0].criteria);
      if (!parsed.success) throw new ApiProblem(500, 'internal', `saved search ${id} holds criteria that no longer validate`);
      const criteria = parsed.data;
      const currentDate = await searchSettings(q);
      const day = criteria.available_by ?? currentDate;
      const found = await searchSpaces(q, { ...criteria, limit: undefined }, day, MATCH_CAP);
      const current = found.map((f) => ({ kind: f.kind, space: f.id, score: f.score, link: f.link }));
      const r = await q.query<{ id: number }>(
        `WITH cur AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS c(kind text, space text, score float8, link text)
         ), gone AS (
           DELETE FROM saved_search_match m WHERE m.saved_search = $1::bigint
             AND NOT EXISTS (SELECT 1 FROM cur WHERE cur.kind = m.kind AND cur.space = m.space)
         ), fresh AS (
           SELECT cur.* FROM cur WHERE NOT EXISTS (
             SELECT 1 FROM saved_search_match m WHERE m.saved_search = $1::bigint AND m.kind = cur.kind AND m.space = cur.space)
         ), kept AS (
           INSERT INTO saved_search_match (saved_search, kind, space) SELECT $1::bigint, kind, space FROM fresh
         )
         INSERT INTO alert (saved_search, owner, kind, space, score, link)
         SELECT $1::bigint, s.owner, f.kind, f.space, f.score, f.link FROM fresh f, saved_search s
         WHERE s.id = $1::bigint AND NOT $3::boolean
         RETURNING id::float8 AS id`,
        [id, JSON.stringify(current), locked.rows[0].first],
      );
      await q.query(`UPDATE saved_search SET last_evaluated_at = now() WHERE id = $1::bigint`, [id]);
      const alerts = r.rows.length
        ? (await q.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alert a JOIN saved_search s ON s.id = a.saved_search WHERE a.id = ANY($1::bigint[]) ORDER BY a.id`, [r.rows.map((x) => x.id)])).rows
        : [];
      return { search: (await getSavedSearch(q, id))!, alerts };
    });
    if (done) out.push(done);
  }
  return out;
}

export async function recordWebhookStatus(q: Queryable, alertIds: number[], status: string): Promise<void> {
  await q.query(`UPDATE alert SET webhook_status = $2::text WHERE id = ANY($1::bigint[])`, [alertIds, status.slice(0, 200)]);
}
