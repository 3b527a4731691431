import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, tableCounts, type TestApp } from './support/app.ts';
import { ENTERPRISE_A, ENTERPRISE_B, loadSpacesFixture, post } from './support/spaces-fixture.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await loadSpacesFixture(t);
});
afterAll(() => t?.close());

const move = (id: number, body: object, actor = '招商部 李经理') => post(t, `/api/leads/${id}/transitions`, body, actor);
const newLead = async (body: object, actor = '招商部 李经理') => {
  const res = await post(t, '/api/leads', body, actor);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; park: string; stage: string };
};
const walkTo = async (id: number, stages: string[]) => {
  for (const to of stages) {
    const res = await move(id, { to });
    expect(res.statusCode, res.body).toBe(200);
  }
};
const leasesOf = async (unit: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM lease WHERE unit = $1`, [unit])).rows[0].n;

/** Everything a refused step could have touched. */
async function snapshot() {
  const leads = await t.db.query(`SELECT id, stage, lease, lost_reason, version FROM lead ORDER BY id`);
  const events = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM lead_event`);
  return { counts: await tableCounts(t.db), leads: leads.rows, events: events.rows[0].n };
}

describe('the pipeline', () => {
  let id: number;

  it('registers an enquiry with the park derived from the space, dated and attributed', async () => {
    const lead = await newLead({ enterprise: ENTERPRISE_A, contact_name: '张总', contact_phone: '0537-1234567', unit: 'TU1', note: '需要GMP车间' });
    expect(lead).toMatchObject({ park: 'TP1', stage: 'new', industry: 'C27', created_by: 'key:招商部 李经理' });
    id = lead.id;
    const got = (await t.staff.inject(`/api/leads/${id}`)).json();
    expect(got.events).toHaveLength(1);
    expect(got.events[0]).toMatchObject({ from_stage: null, to_stage: 'new', actor: 'key:招商部 李经理', note: '需要GMP车间' });
  });

  it('moves one step at a time, each step recorded', async () => {
    await walkTo(id, ['contacted', 'site_visit', 'negotiating']);
    const got = (await t.staff.inject(`/api/leads/${id}`)).json();
    expect(got.stage).toBe('negotiating');
    expect(got.events.map((e: { to_stage: string }) => e.to_stage)).toEqual(['new', 'contacted', 'site_visit', 'negotiating']);
    expect(got.events.every((e: { at: string; actor: string }) => e.at && e.actor === 'key:招商部 李经理')).toBe(true);
  });

  it('refuses to move backwards, to skip, or to sign without a lease, changing nothing', async () => {
    const before = await snapshot();
    const refused: [object, number, string, string][] = [
      [{ to: 'contacted' }, 409, 'stage_backwards', 'to'],
      [{ to: 'new' }, 409, 'stage_backwards', 'to'],
      [{ to: 'moved_in' }, 409, 'stage_skipped', 'to'],
      [{ to: 'negotiating' }, 409, 'invalid_transition', 'to'],
      [{ to: 'signed' }, 422, 'missing_value', 'lease'],
      [{ to: 'signed', lease: { start_date: '2027-01-01', end_date: '2026-01-01' } }, 400, 'invalid_body', 'lease.end_date'],
      [{ to: 'signed', lease: { enterprise: '91370811TPA000010', start_date: '2027-01-01' } }, 422, 'invalid_uscc', 'lease.enterprise'],
      [{ to: 'lost' }, 422, 'missing_value', 'lost_reason'],
      [{ to: 'contacted', lost_reason: 'x' }, 409, 'stage_backwards', 'to'],
      [{ to: 'won' }, 400, 'invalid_body', 'to'],
    ];
    for (const [body, status, code, field] of refused) {
      const res = await move(id, body);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(status);
      expect(res.json().error).toMatchObject({ code, field });
    }
    expect(await snapshot()).toEqual(before);
    expect((await move(999999, { to: 'contacted' })).statusCode).toBe(404);
  });

  it('refuses a new lead skipping straight to moved_in', async () => {
    const other = await newLead({ company_name: '某检测公司', contact_name: '王女士', industry: 'M74', unit: 'TU2' });
    const before = await snapshot();
    const res = await move(other.id, { to: 'moved_in' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'stage_skipped', field: 'to' });
    expect(res.json().error.message).toMatch(/moving in needs a signed lease/);
    expect(await snapshot()).toEqual(before);
  });

  it('signing creates the lease in the same step, so the unit is let everywhere at once', async () => {
    expect((await post(t, '/api/spaces/search', { parks: ['TP1'], kinds: ['unit'] })).json().items.map((i: { id: string }) => i.id)).toContain('TU1');
    const res = await move(id, { to: 'signed', note: '合同已签', lease: { start_date: '2026-01-01', end_date: '2028-12-31', rent_cny_m2_month: 38 } }, '招商部 赵主任');
    expect(res.statusCode, res.body).toBe(200);
    const lead = res.json();
    expect(lead.stage).toBe('signed');
    expect(lead.lease).toEqual(expect.any(Number));
    const lease = (await t.staff.inject(`/api/leases/${lead.lease}`)).json();
    expect(lease).toMatchObject({ enterprise: ENTERPRISE_A, unit: 'TU1', start_date: '2026-01-01', end_date: '2028-12-31', rent_cny_m2_month: 38 });
    const history = (await t.app.inject(`/api/leases/${lead.lease}/history`)).json().items;
    expect(history[0]).toMatchObject({ operation: 'create', actor: 'key:招商部 赵主任' });
    expect(lead.events.at(-1)).toMatchObject({ from_stage: 'negotiating', to_stage: 'signed', actor: 'key:招商部 赵主任', lease: lead.lease });
    // Vacancy follows at once: the unit, the building, the search.
    expect((await t.app.inject('/api/units/TU1')).json().status).toBe('leased');
    expect((await post(t, '/api/spaces/search', { parks: ['TP1'], kinds: ['unit'] })).json().items.map((i: { id: string }) => i.id)).not.toContain('TU1');
  });

  it('moves in after signing, and then takes no further steps', async () => {
    expect((await move(id, { to: 'moved_in' })).statusCode).toBe(200);
    const res = await move(id, { to: 'lost', lost_reason: '改变主意' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'lead_closed', field: 'to' });
  });

  it('loses a lead with a reason, from any stage before signing', async () => {
    const lead = await newLead({ enterprise: ENTERPRISE_B, contact_name: '陈工', unit: 'TV1' });
    await walkTo(lead.id, ['contacted']);
    const res = await move(lead.id, { to: 'lost', lost_reason: '租金超预算' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stage: 'lost', lost_reason: '租金超预算', park: 'TP2' });
    expect((await move(lead.id, { to: 'contacted' })).json().error.code).toBe('lead_closed');
  });
});

describe('two staff signing the same unit at once', () => {
  it('lets exactly one succeed; the other gets 409 and writes nothing', async () => {
    const a = await newLead({ enterprise: ENTERPRISE_A, contact_name: 'A', unit: 'TU3' });
    const b = await newLead({ enterprise: ENTERPRISE_B, contact_name: 'B', unit: 'TU3' });
    await walkTo(a.id, ['contacted', 'site_visit', 'negotiating']);
    await walkTo(b.id, ['contacted', 'site_visit', 'negotiating']);
    const eventsBefore = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM lead_event`)).rows[0].n;
    const terms = { start_date: '2027-01-01', end_date: '2029-12-31' };
    const [ra, rb] = await Promise.all([
      move(a.id, { to: 'signed', lease: terms }, 'staff a'),
      move(b.id, { to: 'signed', lease: { ...terms, start_date: '2027-06-01' } }, 'staff b'),
    ]);
    const statuses = [ra.statusCode, rb.statusCode].sort();
    expect(statuses, `${ra.body} / ${rb.body}`).toEqual([200, 409]);
    const loser = ra.statusCode === 409 ? ra : rb;
    expect(loser.json().error).toMatchObject({ code: 'space_taken', field: 'lease.start_date' });
    expect(await leasesOf('TU3')).toBe(1);
    // One signing event, and the loser still negotiating.
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM lead_event`)).rows[0].n).toBe(eventsBefore + 1);
    const stages = [(await t.staff.inject(`/api/leads/${a.id}`)).json().stage, (await t.staff.inject(`/api/leads/${b.id}`)).json().stage].sort();
    expect(stages).toEqual(['negotiating', 'signed']);
  });

  it('lets one lead be signed only once when two staff send it together', async () => {
    const a = await newLead({ enterprise: ENTERPRISE_A, contact_name: 'A', unit: 'TU2' });
    await walkTo(a.id, ['contacted', 'site_visit', 'negotiating']);
    const terms = { to: 'signed', lease: { start_date: '2027-01-01' } };
    const results = await Promise.all([move(a.id, terms, 'staff a'), move(a.id, terms, 'staff b')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await leasesOf('TU2')).toBe(1);
  });
});

describe('pipeline, lists and the service file', () => {
  it('counts leads per stage of a park', async () => {
    const res = await t.staff.inject('/api/leads/pipeline?park=TP1');
    expect(res.statusCode, res.body).toBe(200);
    // TP1: the moved-in lead (TU1), the TU2 enquiry left new, TU3 signed + negotiating, TU2 signed.
    expect(res.json()).toEqual({
      park: 'TP1',
      stages: { new: 1, contacted: 0, site_visit: 0, negotiating: 1, signed: 2, moved_in: 1, lost: 0 },
      total: 5,
    });
    expect((await t.staff.inject('/api/leads/pipeline?park=TP2')).json().stages).toMatchObject({ lost: 1 });
    const bad = await t.staff.inject('/api/leads/pipeline?park=NOPE');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.field).toBe('park');
  });

  it('lists leads by park and stage', async () => {
    const res = await t.staff.inject('/api/leads?park=TP1&stage=signed');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((l: { unit: string }) => l.unit).sort()).toEqual(['TU2', 'TU3']);
    expect((await t.staff.inject('/api/leads?stage=won')).json().error.field).toBe('stage');
  });

  it("shows an enterprise's enquiries, leases, projects and indicators over time", async () => {
    const before = (await t.app.inject(`/api/enterprises/${ENTERPRISE_A}`)).headers.etag as string;
    const patch = await (await t.as('经发局')).inject({
      method: 'PATCH', url: `/api/enterprises/${ENTERPRISE_A}`, payload: { revenue_cny: 12_000_000, tax_cny: 800_000, employees: 85 },
      headers: { 'if-match': before },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const res = await t.staff.inject(`/api/enterprises/${ENTERPRISE_A}/file`);
    expect(res.statusCode, res.body).toBe(200);
    const file = res.json();
    expect(file.enterprise).toMatchObject({ uscc: ENTERPRISE_A, name: '测试药业' });
    expect(file.enquiries.map((l: { unit: string; stage: string }) => [l.unit, l.stage])).toEqual(
      expect.arrayContaining([['TU1', 'moved_in']]),
    );
    expect(file.leases.map((l: { unit: string; park: string }) => [l.unit, l.park])).toEqual(expect.arrayContaining([['TU1', 'TP1']]));
    expect(file.indicators.at(-1)).toMatchObject({ revenue_cny: 12_000_000, tax_cny: 800_000, employees: 85, actor: 'key:经发局' });
    expect((await t.staff.inject('/api/enterprises/91370811XXXXXXXXXX/file')).statusCode).toBe(404);
  });

  it('refuses bad enquiries, naming the field, writing nothing', async () => {
    const before = await snapshot();
    const cases: [object, number, string][] = [
      [{ contact_name: 'x', company_name: 'y' }, 400, 'unit'],
      [{ contact_name: 'x', company_name: 'y', unit: 'TU1', parcel: 'TPC1' }, 400, 'unit'],
      [{ contact_name: 'x', unit: 'TU1' }, 400, 'company_name'],
      [{ contact_name: 'x', company_name: 'y', unit: 'NOPE' }, 422, 'unit'],
      [{ contact_name: 'x', company_name: 'y', unit: 'TU1', industry: 'C99' }, 422, 'industry'],
      [{ contact_name: 'x', enterprise: '91370811TPA000010', unit: 'TU1' }, 422, 'enterprise'],
      [{ contact_name: 'x', company_name: 'y', unit: 'TU1', contact_email: 'not-an-email' }, 400, 'contact_email'],
    ];
    for (const [body, status, field] of cases) {
      const res = await post(t, '/api/leads', body);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(status);
      expect(res.json().error.field).toBe(field);
    }
    expect(await snapshot()).toEqual(before);
  });
});
