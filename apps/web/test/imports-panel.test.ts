import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../api/src/auth/users.ts';
import { openAppSession, type AppSession } from './support/app-session.ts';
import type { WebServer } from './support/web-server.ts';

/**
 * The import panel in a real browser: a planner (who may write) signs in, uploads a small GeoJSON of
 * parcels, reads the dry run's report with its row-level problem, uploads the corrected file, confirms
 * the commit after its clean dry run, watches the progress bar reach the end, and finds the new
 * parcel and its history through the API.
 */

const SLOW = 150_000;
let session: AppSession;
let server: WebServer;
let page: Page;

const PLANNER = { username: 'planner.import', display_name: '王导入', password: 'import-password-1234' };
const CODE = 'IMP-BROWSER-1';

/** A 30 m × 30 m square at (x, y), counter-clockwise, as GeoJSON coordinates. */
const square = (x: number, y: number) => {
  const d = 0.00015;
  return [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]];
};

/** A point inside the parcels' extent with no parcel within about 100 m (found in the test's own copy of the zone). */
let free: { x: number; y: number };

function geojson(features: { code: string; land_use: string; at: { x: number; y: number } }[]): Buffer {
  return Buffer.from(JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((f) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: square(f.at.x, f.at.y) },
      properties: { code: f.code, name: `浏览器导入 ${f.code}`, land_use: f.land_use, status: 'available' },
    })),
  }));
}

async function upload(name: string, body: Buffer): Promise<void> {
  await page.locator('[data-testid="import-file"]').setInputFiles({ name, mimeType: 'application/geo+json', buffer: body });
  await page.locator('[data-testid="import-start"]').click();
}

/** Waits for the job shown to end, in the mode given; returns its status. */
async function jobEnds(mode: 'dry-run' | 'commit'): Promise<string> {
  const ended = page.locator(`[data-testid="import-job"][data-mode="${mode}"]:is([data-status="succeeded"], [data-status="failed"])`);
  await ended.waitFor({ timeout: 60_000 });
  return (await ended.getAttribute('data-status'))!;
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1400, height: 900 } });
  ({ server, page } = session);
  await createUser(server.db, { username: PLANNER.username, display_name: PLANNER.display_name, password: PLANNER.password, role: 'planner' });
  const r = await server.db.query<{ x: number; y: number }>(
    `WITH e AS (SELECT ST_Extent(geom)::geometry AS e FROM parcel),
     c AS (
       SELECT ST_XMin(e) + (ST_XMax(e) - ST_XMin(e)) * i / 20.0 AS x, ST_YMin(e) + (ST_YMax(e) - ST_YMin(e)) * j / 20.0 AS y
       FROM e, generate_series(2, 18) i, generate_series(2, 18) j
     )
     SELECT x, y FROM c
     WHERE NOT EXISTS (SELECT 1 FROM parcel p WHERE ST_DWithin(p.geom, ST_SetSRID(ST_MakePoint(x, y), 4326), 0.001))
     ORDER BY x, y LIMIT 1`,
  );
  expect(r.rows.length).toBe(1);
  free = r.rows[0];
}, 300_000);

afterAll(async () => {
  await session?.close();
});

describe('import panel in Chromium', () => {
  it('is offered to a planner once signed in', { timeout: SLOW }, async () => {
    await page.goto(`${server.origin}/#12/35.415/116.675/0/0`);
    await page.waitForSelector('[data-testid="sign-in"]:not([disabled])');
    expect(await page.locator('[data-testid="import-panel"]').count()).toBe(0);
    await page.locator('[data-testid="sign-in"]').click();
    await page.locator('[data-testid="sign-in-username"]').fill(PLANNER.username);
    await page.locator('[data-testid="sign-in-password"]').fill(PLANNER.password);
    await page.locator('[data-testid="sign-in-submit"]').click();
    await page.waitForSelector(`[data-testid="account"][data-username="${PLANNER.username}"]`);
    await page.locator('[data-testid="import-toggle"]').click();
    await page.waitForSelector('[data-testid="import-file"]');
  });

  it('reports a dry run row by row: the row with an unknown land-use code, and no commit offered', { timeout: SLOW }, async () => {
    const bad = geojson([
      { code: CODE, land_use: 'M1', at: free },
      { code: 'IMP-BROWSER-BAD', land_use: 'M9', at: { x: free.x + 0.0005, y: free.y } },
    ]);
    await upload('parcels-with-a-fault.geojson', bad);
    expect(await jobEnds('dry-run')).toBe('succeeded');
    const problems = page.locator('[data-testid="import-problem"]');
    expect(await problems.count()).toBe(1);
    const cells = await problems.first().locator('td').allTextContents();
    expect(cells[0]).toBe('2');
    expect(cells[1]).toBe('land_use');
    expect(cells[2]).toContain('M9');
    expect(await page.locator('[data-testid="import-diff"]').textContent()).toMatch(/新增 2/);
    // A dry run with problems cannot be committed from the panel.
    expect(await page.locator('[data-testid="import-commit"]').count()).toBe(0);
  });

  it('commits the corrected file after a clean dry run; the progress bar ends full', { timeout: SLOW }, async () => {
    await upload('parcels.geojson', geojson([{ code: CODE, land_use: 'M1', at: free }]));
    expect(await jobEnds('dry-run')).toBe('succeeded');
    expect(await page.locator('[data-testid="import-problem"]').count()).toBe(0);
    expect(await page.locator('[data-testid="import-diff"]').textContent()).toMatch(/新增 1/);
    // Nothing is written by a dry run.
    expect((await fetch(`${server.origin}/api/parcels/${CODE}`)).status).toBe(404);

    await page.locator('[data-testid="import-commit"]').click();
    expect(await jobEnds('commit')).toBe('succeeded');
    const progress = page.locator('[data-testid="import-progress"]');
    expect(await progress.getAttribute('max')).toBe('1');
    expect(await progress.getAttribute('value')).toBe('1');
    expect(await page.locator('[data-testid="import-commit"]').count()).toBe(0);
  });

  it('the imported parcel is in the API, with its history naming the planner', { timeout: SLOW }, async () => {
    const res = await fetch(`${server.origin}/api/parcels/${CODE}`);
    expect(res.status).toBe(200);
    const item = (await res.json()) as { properties: { name: string; land_use: string; version: number } };
    expect(item.properties).toMatchObject({ name: `浏览器导入 ${CODE}`, land_use: 'M1', version: 1 });
    const { items } = (await (await fetch(`${server.origin}/api/parcels/${CODE}/history`)).json()) as { items: { operation: string; actor: string }[] };
    expect(items.map((e) => [e.operation, e.actor])).toEqual([['create', PLANNER.username]]);
  });
});
