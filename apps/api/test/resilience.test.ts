import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres } from '@parkatlas/db';
import { usccCheckChar } from '@parkatlas/schema';
import { buildApp, type App } from '../src/app.ts';
import { problemFromDbError } from '../src/errors.ts';
import { serverDatabase, startServerProcess, stopProcess, type ServerDatabase, type ServerProcess } from './support/server-process.ts';
import { openTestDb, withDatabase, type TestDb } from './support/test-db.ts';

/**
 * Resilience and browser-facing protections: readiness follows the database, the schema and
 * shutdown; every response carries the security headers; CORS is closed unless an origin is named;
 * a statement past its time limit is a 503, not a hung request; and a server told to stop finishes
 * the request in flight before it exits.
 */

let t: TestDb;
let app: App;
const lifecycle = { draining: false };
const DASHBOARD = 'https://dash.jining.gov.cn';

beforeAll(async () => {
  t = await openTestDb(inject('templateDb'));
  app = await buildApp({ db: t.db, lifecycle, corsOrigins: [DASHBOARD] });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('readiness', () => {
  it('is ready with the database answering and every migration applied, and not while draining', async () => {
    const ready = await app.inject('/api/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ready: true, checks: { database: true, migrations: true, draining: false } });
    lifecycle.draining = true;
    const draining = await app.inject('/api/ready');
    lifecycle.draining = false;
    expect(draining.statusCode).toBe(503);
    expect(draining.json()).toMatchObject({ ready: false, checks: { draining: true }, message: 'shutting down' });
  });

  it('is not ready when a migration is missing', async () => {
    const last = (await t.db.query<{ name: string }>('SELECT max(name) AS name FROM schema_migration')).rows[0].name;
    await t.db.query('DELETE FROM schema_migration WHERE name = $1', [last]);
    try {
      const r = await app.inject('/api/ready');
      expect(r.statusCode).toBe(503);
      expect(r.json().message).toContain(last);
    } finally {
      await t.db.query('INSERT INTO schema_migration (name) VALUES ($1)', [last]);
    }
  });
});

describe('security headers and CORS', () => {
  it('sends the security headers on data, documents and errors', async () => {
    for (const url of ['/api/parcels?limit=1', '/api/openapi.json', '/api/nothing-here', '/ogc']) {
      const r = await app.inject(url);
      expect(r.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(r.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBe('DENY');
      expect(r.headers['referrer-policy'], url).toBe('same-origin');
    }
  });

  it('lets no other origin read the API unless it is named', async () => {
    const stranger = await app.inject({ url: '/api/parcels?limit=1', headers: { origin: 'https://evil.example' } });
    expect(stranger.statusCode).toBe(200);
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS', url: '/api/parcels', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(403);
    expect(preflight.json().error).toMatchObject({ code: 'cors_origin_not_allowed', field: 'origin' });

    const named = await app.inject({
      method: 'OPTIONS', url: '/api/parcels', headers: { origin: DASHBOARD, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'if-match' },
    });
    expect(named.statusCode).toBe(204);
    expect(named.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(named.headers['access-control-allow-methods'])).toContain('PATCH');
    expect(String(named.headers['access-control-allow-headers'])).toContain('If-Match');
    const read = await app.inject({ url: '/api/parcels?limit=1', headers: { origin: DASHBOARD } });
    expect(read.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(read.headers['access-control-expose-headers'])).toContain('ETag');
    expect(String(read.headers.vary)).toContain('Origin');
  });
});

describe('time limits', () => {
  it('turns a cancelled statement into a 503 naming the limit', () => {
    const e = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    expect(problemFromDbError(e)).toMatchObject({ status: 503, code: 'query_timeout' });
  });

  it.runIf(process.env.DATABASE_URL)('cancels a statement that runs past PARKATLAS_STATEMENT_TIMEOUT_MS on PostgreSQL', async () => {
    const name = (await t.db.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d;
    const db = await openPostgres(withDatabase(process.env.DATABASE_URL!, name), { max: 1, statementTimeoutMs: 200 });
    try {
      await expect(db.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      // Bulk work lifts the limit for its own transaction.
      await db.tx(async (q) => {
        await q.query('SET LOCAL statement_timeout = 0');
        await q.query('SELECT pg_sleep(0.4)');
      });
    } finally {
      await db.close();
    }
  });
});

describe('graceful shutdown', () => {
  let database: ServerDatabase;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await serverDatabase('shutdown');
  });

  afterAll(async () => {
    if (server) await stopProcess(server.child);
    await database?.remove();
  });

  it('finishes the request in flight on SIGTERM, then exits 0', { timeout: 180_000 }, async () => {
    server = await startServerProcess(database.env);
    const { origin, child } = server;

    // A write whose body arrives slowly: the server has it in hand when the signal comes.
    const uscc = `91370800MA3C0DNT1${usccCheckChar('91370800MA3C0DNT1')}`;
    const body = JSON.stringify({ uscc, name: '关机前写入的企业', industry: 'I65' });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${origin}/api/enterprises`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...database.staff } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 800);
      }, 300);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const res = await answer;
    // The request was answered in full, not cut off, and what it acknowledged is there afterwards.
    expect(res.status, res.body).toBe(201);
    expect(await exited).toBe(0);
    expect(server.log()).toContain('shutting down: finishing requests in flight');
    const after = await database.open();
    try {
      expect((await after.query('SELECT name FROM enterprise WHERE uscc = $1', [uscc])).rows).toEqual([{ name: '关机前写入的企业' }]);
    } finally {
      await after.close();
    }
  });
});

describe('killed and restarted', () => {
  let database: ServerDatabase;
  const started: ServerProcess[] = [];

  beforeAll(async () => {
    database = await serverDatabase('kill');
  });

  afterAll(async () => {
    for (const s of started) await stopProcess(s.child);
    await database?.remove();
  });

  async function start(): Promise<ServerProcess> {
    const s = await startServerProcess(database.env);
    started.push(s);
    return s;
  }
  const killed = (child: ServerProcess['child']) => stopProcess(child, 'SIGKILL');

  it('keeps every acknowledged write of a burst cut short by SIGKILL', { timeout: 240_000 }, async () => {
    const { origin, child } = await start();
    const acknowledged: string[] = [];
    const attempts = Array.from({ length: 60 }, (_, i) => {
      const first17 = `91370800MA3K${String(i).padStart(5, '0')}`;
      return `${first17}${usccCheckChar(first17)}`;
    });
    // Writes keep going out, eight at a time, until the server is killed under them.
    let next = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (next < attempts.length) {
        const uscc = attempts[next++];
        try {
          const res = await fetch(`${origin}/api/enterprises`, {
            method: 'POST', headers: { 'content-type': 'application/json', ...database.staff },
            body: JSON.stringify({ uscc, name: `断电测试 ${uscc}`, industry: 'C27' }),
          });
          if (res.status === 201) acknowledged.push(uscc);
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acknowledged.length < 15) await new Promise((r) => setTimeout(r, 20));
    await killed(child);
    await Promise.all(writers);
    expect(acknowledged.length).toBeLessThan(attempts.length);

    const again = await start();
    try {
      const present = await (await fetch(`${again.origin}/api/enterprises?limit=10000`)).json() as { items: { uscc: string }[] };
      const have = new Set(present.items.map((e) => e.uscc));
      expect(acknowledged.filter((u) => !have.has(u))).toEqual([]);
      // Each acknowledged write kept its history entry too.
      const history = await (await fetch(`${again.origin}/api/enterprises/${acknowledged[0]}/history`)).json() as { items: unknown[] };
      expect(history.items.length).toBe(1);
    } finally {
      await killed(again.child);
    }
  });

  it('shows nothing of an import killed while it runs, and says so in its report', { timeout: 240_000 }, async () => {
    const { origin, child } = await start();
    const before = await (await fetch(`${origin}/api/parcels?limit=1&bbox=115.85,34.45,116.2,34.8`)).json() as { features: unknown[] };
    expect(before.features).toEqual([]);
    // 8,000 small parcels in an empty corner of the extent, far from the zone.
    const features = Array.from({ length: 8000 }, (_, i) => {
      const x = 115.9 + (i % 80) * 0.002;
      const y = 34.5 + Math.floor(i / 80) * 0.002;
      return {
        type: 'Feature',
        properties: { code: `KILL-${String(i).padStart(4, '0')}`, land_use: 'M1', status: 'available' },
        geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]] },
      };
    });
    const form = new FormData();
    form.set('collection', 'parcels');
    form.set('mode', 'commit');
    form.set('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features })], { type: 'application/geo+json' }), 'corner.geojson');
    const started = await fetch(`${origin}/api/imports`, { method: 'POST', body: form, headers: database.staff });
    expect(started.status).toBe(202);
    const { id } = await started.json() as { id: string };
    // Wait until it runs. The embedded database is one session, held by the import's transaction
    // while it writes: a status request that gets no answer for a while means just that.
    for (;;) {
      const res = await fetch(`${origin}/api/imports/${id}`, { signal: AbortSignal.timeout(700), headers: database.staff }).catch(() => null);
      if (!res) break;
      const job = await res.json() as { status: string };
      expect(job.status).not.toBe('succeeded');
      if (job.status === 'running') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await killed(child);

    const again = await start();
    try {
      const after = await (await fetch(`${again.origin}/api/parcels?limit=10&bbox=115.85,34.45,116.2,34.8`)).json() as { features: unknown[] };
      expect(after.features).toEqual([]);
      const job = await (await fetch(`${again.origin}/api/imports/${id}`, { headers: database.staff })).json() as { status: string; error: string };
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/stopped before this import finished/);
    } finally {
      await killed(again.child);
    }
  });
});
