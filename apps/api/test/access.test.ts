import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import Database from 'better-sqlite3';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { createKey } from '../src/auth/keys.ts';
import { createFirstAdmin, createUser } from '../src/auth/users.ts';
import { startTestApp, tableCounts, type Caller, type TestApp } from './support/app.ts';

// Who may see and change what. Sensitive values are planted as sentinels through the API (so the
// history holds them too); then every GET route of the app is walked as each reader without
// read-sensitive, and no answer, in any format, may contain one of them.

let t: TestApp;
let enterprise: string;
let lease: number;
let lead: number;
let readKey: Caller;
let analyst: Caller;

const SENTINEL = { revenue_cny: 987654321.25, tax_cny: 123456789.75, employees: 73911, contact_name: '哨兵联系人甲', contact_phone: '13999990000' };
const RENT = 987.61;
const LEAD_CONTACT = { contact_name: '线索联系人乙', contact_phone: '13888880000' };

const etag = async (url: string) => (await t.staff.inject(url)).headers.etag as string;

beforeAll(async () => {
  t = await startTestApp();
  readKey = await t.as('read only', ['read']);
  analyst = await t.as('analyst', ['read', 'read-sensitive']);
  enterprise = (await t.staff.inject('/api/enterprises?limit=1')).json().items[0].uscc;
  const e = await t.staff.inject({ method: 'PATCH', url: `/api/enterprises/${enterprise}`, payload: SENTINEL, headers: { 'if-match': await etag(`/api/enterprises/${enterprise}`) } });
  expect(e.statusCode, e.body).toBe(200);
  const l = (await t.staff.inject('/api/leases?limit=1&status=active')).json().items[0];
  lease = l.id;
  const r = await t.staff.inject({ method: 'PATCH', url: `/api/leases/${lease}`, payload: { rent_cny_m2_month: RENT }, headers: { 'if-match': await etag(`/api/leases/${lease}`) } });
  expect(r.statusCode, r.body).toBe(200);
  const unit = l.unit ?? (await t.staff.inject('/api/units?limit=1')).json().items[0].code;
  // Anyone may register interest; the contact it leaves is then staff-only.
  const created = await t.app.inject({ method: 'POST', url: '/api/leads', payload: { company_name: '某投资方', unit, ...LEAD_CONTACT } });
  expect(created.statusCode, created.body).toBe(201);
  lead = created.json().id;
});
afterAll(() => t?.close());

/** Every route of the app as [method, path], from Fastify's own route tree. */
function routesOf(app: App): [string, string][] {
  const out: [string, string][] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    // `/:id|:code`: one node for two routes' parameter names; the first names it well enough.
    stack.push(m[2].replace(/:(\w+)\|:\w+/g, ':$1'));
    for (const method of m[3]?.split(', ') ?? []) out.push([method, stack.join('')]);
  }
  return out;
}

/** Concrete URLs for a route pattern: each parameter filled with something that exists. */
async function urlsFor(path: string): Promise<string[]> {
  if (path.includes('*') || path.startsWith('/api/docs')) return [];
  const idOf = async (collection: string) => {
    if (collection === 'enterprises') return enterprise;
    if (collection === 'leases') return String(lease);
    if (collection === 'leads') return String(lead);
    const body = (await t.staff.inject(`/api/${collection}?limit=1`)).json();
    const first = body.features?.[0]?.id ?? body.items?.[0];
    return String(typeof first === 'object' ? first.code ?? first.id : first ?? 'none');
  };
  const collection = /^\/api\/([a-z-]+)\//.exec(path)?.[1];
  if (path === '/api/tiles/:layer/:z/:x/:y.mvt') {
    const [lon, lat] = [116.62, 35.41];
    const z = 13;
    const x = Math.floor(((lon + 180) / 360) * 2 ** z);
    const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
    return ['parks', 'areas', 'corridors', 'parcels', 'buildings'].map((l) => `/api/tiles/${l}/${z}/${x}/${y}.mvt`);
  }
  if (path.startsWith('/ogc/collections/:collectionId')) {
    const out: string[] = [];
    for (const c of ['corridors', 'areas', 'parks', 'parcels', 'buildings']) {
      out.push(path.replace(':collectionId', c).replace(':featureId', await idOf(c)));
    }
    return out;
  }
  if (path.endsWith('/export')) return (/parcels|buildings|parks|areas|corridors/.test(path) ? ['geojson', 'csv', 'kml'] : ['geojson', 'csv', 'gpkg']).map((f) => `${path}?format=${f}`);
  if (path === '/api/stats/output-per-mu') return ['park', 'enterprise', 'parcel'].flatMap((by) => [`${path}?by=${by}`, `${path}?by=${by}&format=csv`]);
  if (path === '/api/stats/vacancy') return ['park', 'area', 'corridor', 'building'].map((by) => `${path}?by=${by}`);
  if (path === '/api/stats/industries') return ['section', 'division', 'park'].map((by) => `${path}?by=${by}`);
  let url = path;
  if (url.includes(':')) {
    const id = collection === 'parks' && url.includes(':code') ? await idOf('parks') : await idOf(collection ?? '');
    url = url.replace(/:(id|uscc|code|username)/, encodeURIComponent(id));
  }
  return [url];
}

/** An answer's content as text to search, whatever its format. */
function contentOf(res: { headers: Record<string, unknown>; rawPayload: Buffer; body: string }): string {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('geopackage')) {
    const dir = mkdtempSync(join(tmpdir(), 'access-'));
    try {
      writeFileSync(join(dir, 'x.gpkg'), res.rawPayload);
      const db = new Database(join(dir, 'x.gpkg'), { readonly: true });
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
      const dump = tables.map((x) => JSON.stringify(db.prepare(`SELECT * FROM "${x.name}"`).all())).join('\n');
      db.close();
      return dump;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (type.includes('mapbox-vector-tile') || type.includes('protobuf')) {
    if (res.rawPayload.length === 0) return '';
    const tile = new VectorTile(new PbfReader(res.rawPayload));
    return Object.values(tile.layers).map((layer) => JSON.stringify(Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties))).join('\n');
  }
  return res.body;
}

const LEAKS = [String(SENTINEL.revenue_cny), String(SENTINEL.tax_cny), String(SENTINEL.employees), SENTINEL.contact_name, SENTINEL.contact_phone, String(RENT), LEAD_CONTACT.contact_name, LEAD_CONTACT.contact_phone];

describe('field-level visibility on every route', () => {
  it('shows the sentinels to staff (so the walk below could see a leak)', async () => {
    expect((await t.staff.inject(`/api/enterprises/${enterprise}`)).json()).toMatchObject(SENTINEL);
    expect((await analyst.inject(`/api/leases/${lease}`)).json().rent_cny_m2_month).toBe(RENT);
    const csv = await t.staff.inject('/api/enterprises/export?format=csv');
    expect(csv.body).toContain(SENTINEL.contact_phone);
    expect(contentOf(await t.staff.inject('/api/enterprises/export?format=gpkg'))).toContain(SENTINEL.contact_name);
  });

  it('never lets a sensitive value out to the public, an investor or a read-only key, in any route or format', { timeout: 300_000 }, async () => {
    const routes = routesOf(t.app).filter(([m]) => m === 'GET');
    expect(routes.length).toBeGreaterThan(60);
    const investor = await createUser(t.db, { username: 'investor.a', password: 'investor-password-1', role: 'investor' });
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: investor.username, password: 'investor-password-1' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const readers: [string, (url: string) => ReturnType<Caller['inject']>][] = [
      ['public', (url) => t.app.inject(url)],
      ['investor', (url) => t.app.inject({ url, headers: { cookie } })],
      ['read key', (url) => readKey.inject(url)],
    ];
    let walked = 0;
    for (const [, path] of routes) {
      for (const url of await urlsFor(path)) {
        for (const [who, get] of readers) {
          const res = await get(url);
          expect(res.statusCode, `${who} GET ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
          const content = contentOf(res);
          for (const leak of LEAKS) expect(content.includes(leak), `${who} GET ${url} shows ${leak}`).toBe(false);
          walked++;
        }
      }
    }
    // The space search is a POST anyone may make.
    const search = await t.app.inject({ method: 'POST', url: '/api/spaces/search', payload: { limit: 500 } });
    expect(search.statusCode).toBe(200);
    for (const leak of LEAKS) expect(search.body.includes(leak)).toBe(false);
    expect(walked).toBeGreaterThan(200);
  });

  it('leaves hidden fields out of lists and history, and refuses filters and queries on them', async () => {
    const item = (await t.app.inject(`/api/enterprises/${enterprise}`)).json();
    expect(item.uscc).toBe(enterprise);
    expect(item).not.toHaveProperty('revenue_cny');
    const history = (await t.app.inject(`/api/enterprises/${enterprise}/history`)).json().items;
    expect(history.at(-1).changed).toEqual([]);
    const filtered = await t.app.inject('/api/enterprises?min_employees=70000');
    expect(filtered.statusCode).toBe(403);
    expect(filtered.json().error).toMatchObject({ code: 'sensitive_filter', field: 'min_employees' });
    // A CQL2 filter on a hidden field would reveal it one question at a time: it is not a queryable.
    const cql = await t.app.inject(`/api/enterprises/export?format=csv&filter=${encodeURIComponent('revenue_cny > 987654321')}`);
    expect(cql.statusCode).toBe(400);
    const staffCql = await t.staff.inject(`/api/enterprises/export?format=csv&filter=${encodeURIComponent('revenue_cny > 987654321')}`);
    expect(staffCql.body).toContain(enterprise);
  });

  it('shows staff limited to some parks the sensitive fields of their parks only', async () => {
    const park = (await t.staff.inject(`/api/enterprises/${enterprise}`)).json().park as string;
    const other = (await t.staff.inject('/api/parks?limit=100')).json().features.map((f: { id: string }) => f.id).find((p: string) => p !== park);
    const inside = await t.as('analyst of its park', ['read', 'read-sensitive'], [park]);
    const outside = await t.as('analyst of another park', ['read', 'read-sensitive'], [other]);
    expect((await inside.inject(`/api/enterprises/${enterprise}`)).json().revenue_cny).toBe(SENTINEL.revenue_cny);
    expect((await outside.inject(`/api/enterprises/${enterprise}`)).json().revenue_cny).toBeNull();
  });
});

describe('who may do what', () => {
  const parcelWrite = async (caller: Caller | undefined) => {
    const url = `/api/parcels/${(await t.staff.inject('/api/parcels?limit=1')).json().features[0].id}`;
    const req = { method: 'PATCH' as const, url, payload: { properties: { name: '权限测试' } }, headers: { 'if-match': '*' } };
    return caller ? caller.inject(req) : t.app.inject(req);
  };

  it('refuses writes without write: 401 for the public, 403 for a reader, and changes nothing', async () => {
    const before = await tableCounts(t.db);
    const anonymous = await parcelWrite(undefined);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');
    for (const caller of [readKey, analyst]) {
      const res = await parcelWrite(caller);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('keeps leads, service files, drill-downs, imports and the admin API from those without the permission', async () => {
    const cases: [string, number, number, number][] = [
      // url, public, read key, analyst
      ['/api/leads', 401, 403, 200],
      [`/api/leads/${lead}`, 401, 403, 200],
      ['/api/leads/pipeline', 401, 403, 200],
      [`/api/enterprises/${enterprise}/file`, 401, 403, 200],
      ['/api/stats/output-per-mu?by=enterprise', 401, 403, 200],
      ['/api/stats/output-per-mu?by=park', 200, 200, 200],
      ['/api/imports/none', 401, 403, 403],
      ['/api/admin/users', 401, 403, 403],
      ['/api/admin/keys', 401, 403, 403],
    ];
    for (const [url, pub, reader, staff] of cases) {
      expect((await t.app.inject(url)).statusCode, `public ${url}`).toBe(pub);
      expect((await readKey.inject(url)).statusCode, `read key ${url}`).toBe(reader);
      expect((await analyst.inject(url)).statusCode, `analyst ${url}`).toBe(staff);
    }
  });

  it('limits staff of some parks to changing rows in those parks', async () => {
    const parcels = (await t.staff.inject('/api/parcels?limit=2000')).json().features as { id: string; properties: { park: string | null } }[];
    const mine = parcels.find((p) => p.properties.park)!;
    const theirs = parcels.find((p) => p.properties.park && p.properties.park !== mine.properties.park)!;
    const scoped = await t.as('park office', ['read', 'write'], [mine.properties.park!]);
    const patch = (id: string) => scoped.inject({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { properties: { name: '园区办修改' } }, headers: { 'if-match': '*' } });
    expect((await patch(mine.id)).statusCode).toBe(200);
    const refused = await patch(theirs.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'outside_scope', field: 'park' });
    expect((await t.app.inject(`/api/parcels/${theirs.id}`)).json().properties.name).not.toBe('园区办修改');
    const corridor = (await t.staff.inject('/api/corridors?limit=1')).json().features[0].id;
    const zoneWide = await scoped.inject({ method: 'PATCH', url: `/api/corridors/${corridor}`, payload: { properties: { name: 'x' } }, headers: { 'if-match': '*' } });
    expect(zoneWide.statusCode).toBe(403);
  });
});

describe('API keys', () => {
  it('are stored as digests, shown once, and refused when forged, revoked or expired, naming why', async () => {
    const { key, secret } = await createKey(t.db, { name: 'agency', scopes: ['read'] }, 'test');
    const stored = await t.db.query<{ secret_sha256: string }>('SELECT secret_sha256 FROM api_key WHERE id = $1', [key.id]);
    expect(stored.rows[0].secret_sha256).not.toContain(secret.slice(-20));
    const bearer = (s: string) => t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${s}` } });
    expect((await bearer(secret)).json()).toMatchObject({ key: key.id, role: 'public', permissions: [] });
    expect((await t.app.inject({ url: '/api/auth/me', headers: { 'x-api-key': secret } })).json().key).toBe(key.id);
    const forged = await bearer(`${secret.slice(0, -2)}xx`);
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('invalid_key');
    expect((await bearer('pa_nonsense')).json().error.code).toBe('invalid_key');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { authorization: 'Basic Zm9vOmJhcg==' } })).json().error.code).toBe('invalid_authorization');
    const admin = await t.as('admin for keys', ['read', 'read-sensitive', 'write']);
    expect((await admin.inject({ method: 'DELETE', url: `/api/admin/keys/${key.id}` })).statusCode).toBe(403);
    await t.db.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [key.id]);
    expect((await bearer(secret)).json().error.code).toBe('key_revoked');
    const old = await createKey(t.db, { name: 'old', scopes: ['read'], expires_at: '2020-01-01' }, 'test');
    expect((await bearer(old.secret)).json().error.code).toBe('key_expired');
  });

  it('are held to their rate limit with 429 and Retry-After', async () => {
    const { secret } = await createKey(t.db, { name: 'slow', scopes: ['read'], rate_limit_per_minute: 3 }, 'test');
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await t.app.inject({ url: '/api/health', headers: { authorization: `Bearer ${secret}` } });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.json().error.code).toBe('rate_limited');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('users, sessions and the admin API', () => {
  const PASSWORD = 'a long admin passphrase';
  let session: { cookie: string; csrf: string };

  const login = (username: string, password: string, app: App = t.app) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('creates the first admin only from a given password, once', async () => {
    expect(await createFirstAdmin(t.db, 'root', undefined)).toBe('no-password');
    expect(await createFirstAdmin(t.db, 'root', PASSWORD)).toBe('created');
    expect(await createFirstAdmin(t.db, 'root2', 'another long passphrase')).toBe('exists');
    const stored = await t.db.query<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE username = 'root'`);
    expect(stored.rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.rows[0].password_hash).not.toContain(PASSWORD);
  });

  it('signs in with a secure session cookie and a CSRF token, and signs out', async () => {
    const res = await login('root', PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^parkatlas_session=[^;]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    // inject() asks for localhost: loopback, where browsers keep a Secure cookie over plain HTTP.
    expect(setCookie).toContain('; Secure');
    const body = res.json();
    expect(body).toMatchObject({ user: { username: 'root', role: 'admin' }, role: 'admin' });
    expect(body.permissions.sort()).toEqual(['admin', 'read-sensitive', 'write']);
    session = { cookie: setCookie.split(';')[0], csrf: body.csrf_token };
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } })).json().user.username).toBe('root');
  });

  it('refuses a change from the session without its CSRF token', async () => {
    const payload = { username: 'planner.wang', password: 'planner passphrase', role: 'planner' };
    const without = await t.app.inject({ method: 'POST', url: '/api/admin/users', payload, headers: { cookie: session.cookie } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf_token');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/admin/users', payload, headers: { cookie: session.cookie, 'x-csrf-token': 'guess' } });
    expect(wrong.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/admin/users', payload, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ username: 'planner.wang', role: 'planner', disabled: false });
    expect(ok.json()).not.toHaveProperty('password_hash');
  });

  it('refuses weak passwords and unknown parks, naming the field', async () => {
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    const weak = await t.app.inject({ method: 'POST', url: '/api/admin/users', payload: { username: 'weak.one', password: 'short', role: 'analyst' }, headers });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'weak_password', field: 'password' });
    const park = await t.app.inject({ method: 'POST', url: '/api/admin/keys', payload: { name: 'x', scopes: ['read'], parks: ['NOPE'] }, headers });
    expect(park.statusCode).toBe(422);
    expect(park.json().error.field).toBe('parks');
  });

  it('creates a key whose secret is shown once and then works', async () => {
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    const created = await t.app.inject({ method: 'POST', url: '/api/admin/keys', payload: { name: '统计局系统', scopes: ['read', 'read-sensitive'], rate_limit_per_minute: 100 }, headers });
    expect(created.statusCode, created.body).toBe(201);
    const { key, secret } = created.json();
    expect(created.headers['cache-control']).toBe('no-store');
    const listed = await t.app.inject({ url: '/api/admin/keys', headers: { cookie: session.cookie } });
    expect(listed.body).toContain(key.id);
    expect(listed.body).not.toContain(secret);
    expect((await t.app.inject({ url: '/api/leads', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/keys/${key.id}`, headers })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/leads', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
  });

  it('ends sessions when a user is disabled, and a forged or ended cookie reads as the public and cannot write', async () => {
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    const planner = await login('planner.wang', 'planner passphrase');
    const plannerCookie = String(planner.headers['set-cookie']).split(';')[0];
    expect((await t.app.inject({ method: 'PATCH', url: '/api/admin/users/planner.wang', payload: { disabled: true }, headers })).statusCode).toBe(200);
    const ended = await t.app.inject({ url: '/api/auth/me', headers: { cookie: plannerCookie } });
    expect(ended.json()).toMatchObject({ user: null, role: 'public' });
    expect(String(ended.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await login('planner.wang', 'planner passphrase')).statusCode).toBe(401);
    const forged = await t.app.inject({ method: 'POST', url: '/api/parcels', payload: {}, headers: { cookie: 'parkatlas_session=forged', 'x-csrf-token': 'x' } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('session_expired');
    const self = await t.app.inject({ method: 'PATCH', url: '/api/admin/users/root', payload: { role: 'planner' }, headers });
    expect(self.statusCode).toBe(409);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } })).json().user).toBeNull();
  });

  it('ends the sessions of a user whose password or role an admin changes', async () => {
    const admin = await login('root', PASSWORD);
    const headers = { cookie: String(admin.headers['set-cookie']).split(';')[0], 'x-csrf-token': admin.json().csrf_token };
    await createUser(t.db, { username: 'analyst.zhao', password: 'analyst passphrase', role: 'analyst' });
    for (const change of [{ password: 'a new analyst passphrase' }, { role: 'investor' }]) {
      const password = change.password ? 'analyst passphrase' : 'a new analyst passphrase';
      const cookie = String((await login('analyst.zhao', password)).headers['set-cookie']).split(';')[0];
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).json().role).toBe('analyst');
      expect((await t.app.inject({ method: 'PATCH', url: '/api/admin/users/analyst.zhao', payload: change, headers })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).json().user).toBeNull();
    }
  });

  it('names its two ways in in the OpenAPI document', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'parkatlas_session' } });
  });

  it('throttles repeated failed sign-ins per username and per address', async () => {
    // A second app over the same database: its throttle starts empty.
    const app = await buildApp({ db: t.db });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await login('root', `wrong ${i}`, app)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const blocked = await login('root', PASSWORD, app);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('too_many_attempts');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Unknown users fail the same way, so the answer does not tell who exists.
      expect((await login('nobody', 'whatever', app)).statusCode).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('revert', () => {
  it('brings a parcel back to an earlier version as a new, attributed version', async () => {
    const id = (await t.staff.inject('/api/parcels?limit=1&sort=-area_m2')).json().features[0].id;
    const planner = await t.as('规划科 李工');
    const first = (await t.staff.inject(`/api/parcels/${id}`)).json();
    const v1 = Number(String((await t.staff.inject(`/api/parcels/${id}`)).headers.etag).replace(/"/g, ''));
    const edit = await planner.inject({ method: 'PATCH', url: `/api/parcels/${id}`, payload: { properties: { name: '改错的名字', status: 'reserved' } }, headers: { 'if-match': `"${v1}"` } });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/parcels/${id}/revert`, payload: { version: v1 }, headers: { 'if-match': `"${v1 + 1}"` } })).statusCode).toBe(401);
    expect((await planner.inject({ method: 'POST', url: `/api/parcels/${id}/revert`, payload: { version: v1 }, headers: { 'if-match': `"${v1}"` } })).statusCode).toBe(412);
    const unknown = await planner.inject({ method: 'POST', url: `/api/parcels/${id}/revert`, payload: { version: 999 }, headers: { 'if-match': `"${v1 + 1}"` } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.field).toBe('version');
    const back = await planner.inject({ method: 'POST', url: `/api/parcels/${id}/revert`, payload: { version: v1 }, headers: { 'if-match': `"${v1 + 1}"` } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.headers.etag).toBe(`"${v1 + 2}"`);
    expect(back.json().properties).toMatchObject({ name: first.properties.name, status: first.properties.status });
    expect(back.json().geometry).toEqual(first.geometry);
    const history = (await t.app.inject(`/api/parcels/${id}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({ version: v1 + 2, operation: 'revert', actor: 'key:规划科 李工' });
    expect(history.at(-1).changed).toEqual(expect.arrayContaining(['name', 'status']));
  });
});

describe('the zone as of a past moment', () => {
  it('shows items as they stood then: edits undone, later items absent, deleted items back', async () => {
    const a = (await t.staff.inject('/api/parcels?limit=1&sort=-code')).json().features[0] as { id: string; properties: { name: string | null } };
    const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 35.9], [x + 0.001, 35.9], [x + 0.001, 35.901], [x, 35.901], [x, 35.9]]] });
    const parcel = (code: string, x: number) => t.staff.inject({ method: 'POST', url: '/api/parcels', payload: { type: 'Feature', geometry: square(x), properties: { code, land_use: 'M1', status: 'idle' } } });
    // A parcel with nothing built on it, so it may be deleted.
    expect((await parcel('ASOF-OLD', 116.95)).statusCode).toBe(201);
    const b = { id: 'ASOF-OLD' };
    const moment = async () => {
      const r = await t.db.query<{ at: string }>(`SELECT to_json(clock_timestamp())#>>'{}' AS at`);
      await new Promise((r) => setTimeout(r, 20));
      return r.rows[0].at;
    };
    const before = await moment();
    expect((await t.staff.inject({ method: 'PATCH', url: `/api/parcels/${a.id}`, payload: { properties: { name: '后来的名字' } }, headers: { 'if-match': '*' } })).statusCode).toBe(200);
    expect((await t.staff.inject({ method: 'DELETE', url: `/api/parcels/${b.id}`, headers: { 'if-match': '*' } })).statusCode).toBe(204);
    const created = await parcel('ASOF-NEW', 116.9);
    expect(created.statusCode, created.body).toBe(201);

    const item = await t.app.inject(`/api/parcels/${a.id}?as_of=${encodeURIComponent(before)}`);
    expect(item.statusCode, item.body).toBe(200);
    expect(item.json().properties.name).toBe(a.properties.name);
    expect((await t.app.inject(`/api/parcels/${a.id}`)).json().properties.name).toBe('后来的名字');
    expect((await t.app.inject(`/api/parcels/${b.id}?as_of=${encodeURIComponent(before)}`)).statusCode).toBe(200);
    const absent = await t.app.inject(`/api/parcels/ASOF-NEW?as_of=${encodeURIComponent(before)}`);
    expect(absent.statusCode).toBe(404);
    expect(absent.json().error.field).toBe('as_of');

    const then = (await t.app.inject(`/api/parcels/as-of?date=${encodeURIComponent(before)}`)).json();
    const now = (await t.app.inject('/api/parcels?limit=10000')).json();
    const ids = then.features.map((f: { id: string }) => f.id);
    expect(ids).toContain(b.id);
    expect(ids).not.toContain('ASOF-NEW');
    expect(then.features.find((f: { id: string }) => f.id === a.id).properties.name).toBe(a.properties.name);
    expect(then.numberReturned).toBe(now.numberReturned); // one deleted since, one created since
    const bad = await t.app.inject('/api/parcels/as-of?date=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('date');
  });

  it('hides sensitive fields of past versions too', async () => {
    const then = (await t.app.inject(`/api/enterprises/as-of?date=2099-01-01`)).json();
    expect(then.items.length).toBeGreaterThan(0);
    for (const leak of LEAKS) expect(JSON.stringify(then).includes(leak)).toBe(false);
    const yesterday = await t.app.inject(`/api/enterprises/${enterprise}?as_of=2000-01-01`);
    expect(yesterday.statusCode).toBe(200);
    expect(yesterday.json()).not.toHaveProperty('revenue_cny');
  });
});

describe('staff limited to some parks, on leads and service files', () => {
  it('list, count and open the leads of their parks only, and move none of another park', async () => {
    const mine = (await t.staff.inject(`/api/leads/${lead}`)).json() as { park: string };
    const parks = (await t.staff.inject('/api/parks?limit=100')).json().features.map((f: { id: string }) => f.id) as string[];
    const other = parks.find((p) => p !== mine.park)!;
    const inside = await t.as('leads desk of its park', ['read', 'read-sensitive', 'write'], [mine.park]);
    const outside = await t.as('leads desk of another park', ['read', 'read-sensitive', 'write'], [other]);
    expect((await inside.inject('/api/leads')).json().items.map((l: { id: number }) => l.id)).toContain(lead);
    expect((await outside.inject('/api/leads')).json().items.map((l: { id: number }) => l.id)).not.toContain(lead);
    expect((await inside.inject(`/api/leads/${lead}`)).statusCode).toBe(200);
    expect((await outside.inject(`/api/leads/${lead}`)).statusCode).toBe(404);
    const asked = await outside.inject(`/api/leads?park=${mine.park}`);
    expect(asked.statusCode).toBe(403);
    expect(asked.json().error).toMatchObject({ code: 'outside_scope', field: 'park' });
    expect((await outside.inject('/api/leads/pipeline')).json().total).toBe((await t.staff.inject(`/api/leads/pipeline?park=${other}`)).json().total);
    const moved = await outside.inject({ method: 'POST', url: `/api/leads/${lead}/transitions`, payload: { to: 'contacted' } });
    expect(moved.statusCode).toBe(403);
    expect((await t.staff.inject(`/api/leads/${lead}`)).json().stage).toBe('new');
    const drill = await outside.inject('/api/stats/output-per-mu?by=enterprise');
    expect(drill.statusCode).toBe(200);
    expect(drill.json().items.every((i: { park: string | null }) => i.park === other)).toBe(true);
    expect((await outside.inject(`/api/stats/output-per-mu?by=enterprise&park=${mine.park}`)).statusCode).toBe(403);
    const file = await outside.inject(`/api/enterprises/${enterprise}/file`);
    const enterprisePark = (await t.staff.inject(`/api/enterprises/${enterprise}`)).json().park;
    expect(file.statusCode).toBe(enterprisePark === other ? 200 : 403);
  });
});
