import type { Db, Queryable } from '@parkatlas/db';
import { isDbError } from '@parkatlas/db';
import { LEAD_STAGES, usccProblem, type Lead, type LeadStage, type leadInput, type leadTransitionInput } from '@parkatlas/schema';
import type { z } from 'zod';
import { getItem, parseItem } from '../collections/repository.ts';
import { ApiProblem, notFound, problemFromDbError } from '../errors.ts';
import { leases } from '../routes/leases.ts';

type LeadInput = z.infer<typeof leadInput>;
type TransitionInput = z.infer<typeof leadTransitionInput>;

// Timestamps as ISO text and bigints as numbers, the same on both drivers.
const iso = (col: string) => `to_jsonb(${col}) #>> '{}'`;
const LEAD_COLUMNS = `v.id::float8 AS id, v.enterprise, v.company_name, v.contact_name, v.contact_phone, v.contact_email,
  v.industry, v.unit, v.parcel, v.park, v.stage, v.lost_reason, v.lease::float8 AS lease, v.note, v.created_by,
  ${iso('v.created_at')} AS created_at, ${iso('v.updated_at')} AS updated_at, v.version`;

export async function getLead(q: Queryable, id: number, withEvents = true): Promise<Lead | undefined> {
  const r = await q.query<Lead>(`SELECT ${LEAD_COLUMNS} FROM lead_api v WHERE v.id = $1::bigint`, [id]);
  const lead = r.rows[0];
  if (lead && withEvents) {
    const e = await q.query<NonNullable<Lead['events']>[number]>(
      `SELECT from_stage, to_stage, ${iso('at')} AS at, actor, note, lease::float8 AS lease FROM lead_event WHERE lead = $1::bigint ORDER BY id`,
      [id],
    );
    lead.events = e.rows;
  }
  return lead;
}

/** Leads, newest first; `parks` null: the whole zone. */
export async function listLeads(q: Queryable, f: { parks: string[] | null; stage?: string; enterprise?: string; limit?: number }): Promise<Lead[]> {
  const r = await q.query<Lead>(
    `SELECT ${LEAD_COLUMNS} FROM lead_api v
     WHERE ($1::text[] IS NULL OR v.park = ANY($1::text[])) AND ($2::text IS NULL OR v.stage = $2::text)
       AND ($3::text IS NULL OR v.enterprise = $3::text)
     ORDER BY v.id DESC LIMIT $4::int`,
    [f.parks, f.stage ?? null, f.enterprise ?? null, f.limit ?? 100],
  );
  return r.rows;
}

export async function checkPark(q: Queryable, park: string | undefined): Promise<void> {
  if (park === undefined) return;
  const r = await q.query('SELECT 1 FROM park WHERE code = $1::text', [park]);
  if (!r.rows.length) throw new ApiProblem(422, 'unknown_code', `park '${park}' not found (see /api/parks)`, 'park');
}

/** Leads per stage of one park (or of the zone), every stage listed, lost included. */
export async function pipelineCounts(q: Queryable, parks: string[] | null): Promise<Record<string, number>> {
  const r = await q.query<{ stage: string; n: number }>(
    `SELECT stage, count(*)::int AS n FROM lead_api WHERE ($1::text[] IS NULL OR park = ANY($1::text[])) GROUP BY stage`,
    [parks],
  );
  const stages: Record<string, number> = Object.fromEntries([...LEAD_STAGES, 'lost'].map((s) => [s, 0]));
  for (const row of r.rows) stages[row.stage] = row.n;
  return stages;
}

function checkUscc(value: string | undefined, field: string): void {
  if (value === undefined) return;
  const problem = usccProblem(value);
  if (problem) throw new ApiProblem(422, 'invalid_uscc', `${field} '${value}' is not a valid unified social credit code: ${problem}`, field);
}

/** Registers an enquiry and its first event, in one transaction. */
export async function createLead(db: Db, input: LeadInput, actor: string): Promise<Lead> {
  checkUscc(input.enterprise, 'enterprise');
  return db.tx(async (q) => {
    if (input.enterprise !== undefined) {
      const e = await q.query('SELECT 1 FROM enterprise WHERE uscc = $1::text', [input.enterprise]);
      if (!e.rows.length) throw new ApiProblem(422, 'unknown_reference', `enterprise '${input.enterprise}' does not exist`, 'enterprise');
    }
    if (input.industry !== undefined) {
      const i = await q.query('SELECT 1 FROM industry_class WHERE code = $1::text', [input.industry]);
      if (!i.rows.length) throw new ApiProblem(422, 'unknown_code', `industry '${input.industry}' is not a known GB/T 4754 code`, 'industry');
    }
    const space = input.unit !== undefined ? { field: 'unit', sql: 'SELECT 1 FROM unit WHERE code = $1::text', v: input.unit }
      : { field: 'parcel', sql: 'SELECT 1 FROM parcel WHERE code = $1::text', v: input.parcel! };
    if (!(await q.query(space.sql, [space.v])).rows.length) throw new ApiProblem(422, 'unknown_reference', `${space.field} '${space.v}' does not exist`, space.field);
    const r = await q.query<{ id: number }>(
      `INSERT INTO lead (enterprise, company_name, contact_name, contact_phone, contact_email, industry, unit, parcel, note, created_by)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::text,
               coalesce($6::text, (SELECT industry FROM enterprise WHERE uscc = $1::text)), $7::text, $8::text, $9::text, $10::text)
       RETURNING id::float8 AS id`,
      [input.enterprise ?? null, input.company_name ?? null, input.contact_name, input.contact_phone ?? null, input.contact_email ?? null,
        input.industry ?? null, input.unit ?? null, input.parcel ?? null, input.note ?? null, actor],
    );
    const id = r.rows[0].id;
    await q.query(`INSERT INTO lead_event (lead, from_stage, to_stage, actor, note) VALUES ($1::bigint, NULL, 'new', $2::text, $3::text)`, [id, actor, input.note ?? null]);
    return (await getLead(q, id))!;
  });
}

const order = (s: LeadStage) => (LEAD_STAGES as readonly string[]).indexOf(s);

/**
 * The pipeline's rule: one step forward at a time (new → contacted → site_visit → negotiating → signed
 * → moved_in), or to lost, with a reason, before signing. Moved-in and lost leads are closed.
 */
export function transitionProblem(from: LeadStage, to: LeadStage): ApiProblem | undefined {
  if (from === 'moved_in' || from === 'lost') return new ApiProblem(409, 'lead_closed', `the lead is ${from}: it takes no further steps`, 'to');
  if (to === from) return new ApiProblem(409, 'invalid_transition', `the lead is already ${from}`, 'to');
  if (to === 'lost') {
    return from === 'signed' ? new ApiProblem(409, 'invalid_transition', 'a signed lead cannot be lost: end its lease instead', 'to') : undefined;
  }
  const next = LEAD_STAGES[order(from) + 1];
  if (order(to) < order(from)) return new ApiProblem(409, 'stage_backwards', `a lead cannot move back from ${from} to ${to}`, 'to');
  if (to !== next) {
    const why = to === 'moved_in' ? ': moving in needs a signed lease first' : '';
    return new ApiProblem(409, 'stage_skipped', `from ${from} the next stage is ${next}, not ${to}${why}`, 'to');
  }
  return undefined;
}

interface LockedLead {
  id: number;
  stage: LeadStage;
  enterprise: string | null;
  unit: string | null;
  parcel: string | null;
}

/**
 * Moves a lead one stage, dated and attributed. Signing creates the lease in the same transaction,
 * so the space is let everywhere at once; when another lease already covers those days (another
 * lead signed first), the exclusion constraint refuses it and nothing is written (409).
 */
export async function transitionLead(db: Db, id: number, input: TransitionInput, actor: string): Promise<Lead> {
  checkUscc(input.lease?.enterprise, 'lease.enterprise');
  return db.tx(async (q) => {
    const r = await q.query<LockedLead>(`SELECT id::float8 AS id, stage, enterprise, unit, parcel FROM lead WHERE id = $1::bigint FOR UPDATE`, [id]);
    const lead = r.rows[0];
    if (!lead) throw notFound('lead', String(id));
    const problem = transitionProblem(lead.stage, input.to);
    if (problem) throw problem;
    if (input.to === 'lost' && !input.lost_reason) throw new ApiProblem(422, 'missing_value', 'a lost lead needs lost_reason', 'lost_reason');
    if (input.to !== 'lost' && input.lost_reason !== undefined) throw new ApiProblem(422, 'unexpected_value', 'lost_reason only goes with to = lost', 'lost_reason');
    if (input.to !== 'signed' && input.lease !== undefined) throw new ApiProblem(422, 'unexpected_value', 'lease terms only go with to = signed', 'lease');

    let leaseId: number | null = null;
    let tenant = lead.enterprise;
    if (input.to === 'signed') {
      if (!input.lease) throw new ApiProblem(422, 'missing_value', 'signing needs the lease: lease.start_date (and end_date, rent_cny_m2_month)', 'lease');
      tenant = input.lease.enterprise ?? lead.enterprise;
      if (!tenant) throw new ApiProblem(422, 'missing_value', 'the lead names no enterprise: give lease.enterprise (a registered USCC)', 'lease.enterprise');
      if (input.lease.enterprise && lead.enterprise && input.lease.enterprise !== lead.enterprise) {
        throw new ApiProblem(422, 'invalid_value', `lease.enterprise differs from the lead's enterprise ${lead.enterprise}`, 'lease.enterprise');
      }
      const e = await q.query('SELECT 1 FROM enterprise WHERE uscc = $1::text', [tenant]);
      if (!e.rows.length) throw new ApiProblem(422, 'unknown_reference', `enterprise '${tenant}' is not registered: create it first (POST /api/enterprises)`, 'lease.enterprise');
      leaseId = await createLease(q, lead, tenant, input.lease, actor);
    }
    await q.query(
      `UPDATE lead SET stage = $2::text, lost_reason = $3::text, lease = coalesce($4::bigint, lease),
              enterprise = coalesce(enterprise, $5::text), version = version + 1, updated_at = now()
       WHERE id = $1::bigint`,
      [id, input.to, input.to === 'lost' ? input.lost_reason : null, leaseId, tenant],
    );
    await q.query(
      `INSERT INTO lead_event (lead, from_stage, to_stage, actor, note, lease) VALUES ($1::bigint, $2::text, $3::text, $4::text, $5::text, $6::bigint)`,
      [id, lead.stage, input.to, actor, input.note ?? null, leaseId],
    );
    return (await getLead(q, id))!;
  });
}

/** Inserts the lease and its history entry (as POST /api/leases would), inside the caller's transaction. */
async function createLease(q: Queryable, lead: LockedLead, tenant: string, terms: NonNullable<TransitionInput['lease']>, actor: string): Promise<number> {
  let leaseId: number;
  try {
    const r = await q.query<{ id: number }>(
      `INSERT INTO lease (enterprise, unit, parcel, start_date, end_date, rent_cny_m2_month)
       VALUES ($1::text, $2::text, $3::text, $4::date, $5::date,
               coalesce($6::numeric, (SELECT rent_cny_m2_month FROM unit WHERE code = $2::text)))
       RETURNING id::float8 AS id`,
      [tenant, lead.unit, lead.parcel, terms.start_date, terms.end_date ?? null, terms.rent_cny_m2_month ?? null],
    );
    leaseId = r.rows[0].id;
  } catch (e) {
    if (isDbError(e) && e.code === '23P01') {
      throw new ApiProblem(409, 'space_taken', `${lead.unit ? `unit ${lead.unit}` : `parcel ${lead.parcel}`} is already let over some of these days (another lease was signed first)`, 'lease.start_date');
    }
    throw problemFromDbError(e) ?? e;
  }
  const after = (await getItem(q, leases, leaseId))!;
  const { properties } = parseItem(leases, after);
  await q.query(
    `INSERT INTO change (entity, entity_id, version, operation, actor, before, after) VALUES ('lease', $1::text, 1, 'create', $2::text, NULL, $3::jsonb)`,
    [String(leaseId), actor, JSON.stringify({ properties, geometry: null })],
  );
  return leaseId;
}

export interface ServiceFile {
  enterprise: Record<string, unknown>;
  enquiries: Lead[];
  leases: Record<string, unknown>[];
  projects: Record<string, unknown>[];
  indicators: { at: string; version: number; actor: string; revenue_cny: number | null; tax_cny: number | null; employees: number | null }[];
}

/** An enterprise's whole record: enquiries, leases (with the space and park), projects, indicators over time. */
export async function serviceFile(q: Queryable, uscc: string): Promise<ServiceFile | undefined> {
  const e = await q.query<{ j: Record<string, unknown> }>(`SELECT to_jsonb(e) AS j FROM enterprise_api e WHERE e.uscc = $1::text`, [uscc]);
  if (!e.rows.length) return undefined;
  const enquiries = (await q.query<Lead>(`SELECT ${LEAD_COLUMNS} FROM lead_api v WHERE v.enterprise = $1::text ORDER BY v.id`, [uscc])).rows;
  const leaseRows = await q.query<{ j: Record<string, unknown> }>(
    `SELECT to_jsonb(l) || jsonb_build_object('id', l.id::float8, 'park', z.park, 'building', u.building) AS j
     FROM lease_api l
     LEFT JOIN unit u ON u.code = l.unit
     LEFT JOIN building b ON b.code = u.building
     LEFT JOIN parcel_zone z ON z.parcel = coalesce(l.parcel, b.parcel)
     WHERE l.enterprise = $1::text ORDER BY l.start_date, l.id`,
    [uscc],
  );
  const projects = await q.query<{ j: Record<string, unknown> }>(`SELECT to_jsonb(p) AS j FROM project_api p WHERE p.enterprise = $1::text ORDER BY p.start_date NULLS LAST, p.code`, [uscc]);
  // The figures as each write left them (the change history), then today's if no write recorded them.
  const history = await q.query<ServiceFile['indicators'][number]>(
    `SELECT ${iso('at')} AS at, version, actor,
            (after #>> '{properties,revenue_cny}')::float8 AS revenue_cny, (after #>> '{properties,tax_cny}')::float8 AS tax_cny,
            (after #>> '{properties,employees}')::float8 AS employees
     FROM change WHERE entity = 'enterprise' AND entity_id = $1::text AND after IS NOT NULL ORDER BY id`,
    [uscc],
  );
  const current = e.rows[0].j;
  const indicators = history.rows;
  if (indicators.at(-1)?.version !== current.version) {
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    indicators.push({ at: String(current.updated_at), version: Number(current.version), actor: 'current', revenue_cny: num(current.revenue_cny), tax_cny: num(current.tax_cny), employees: num(current.employees) });
  }
  return { enterprise: current, enquiries, leases: leaseRows.rows.map((r) => r.j), projects: projects.rows.map((r) => r.j), indicators };
}
