import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../src/i18n/messages.ts';
import { STATUS_COLORS, type ParcelStatus } from '../src/map/palette.ts';
import { openAppSession, type AppSession } from './support/app-session.ts';
import { waitForMapIdle, webglRenderer } from './support/browser.ts';
import { decodePng, pixel } from './support/png.ts';
import { WEB_ROOT } from './support/web-build.ts';
import type { WebServer } from './support/web-server.ts';

/**
 * The map in a real browser: the built app served by the API over the 300-parcel test zone, driven
 * in headless Chromium with WebGL on SwiftShader. Every request the pages make is recorded.
 */

const SCREENSHOT = join(WEB_ROOT, '../../docs/screenshot.png');
const SLOW = 150_000;

let server: WebServer;
let context: BrowserContext;
let page: Page;
let requests: string[];

interface ParcelAt {
  code: string;
  status: ParcelStatus;
  lon: number;
  lat: number;
}

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await server.db.query<T>(sql, params)).rows;
}

/** Moves the map without animation and waits until it has drawn the new view. */
async function jumpTo(center: [number, number], zoom: number, extra: { bearing?: number; pitch?: number } = {}) {
  await page.evaluate(({ center, zoom, extra }) => window.parkatlasMap!.jumpTo({ center, zoom, bearing: 0, pitch: 0, ...extra }), { center, zoom, extra });
  await waitForMapIdle(page);
}

/** Where a point is drawn, in page pixels. */
async function pagePoint(lon: number, lat: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-testid="map"]').boundingBox())!;
  const p = await page.evaluate(([lon, lat]) => window.parkatlasMap!.project([lon, lat]), [lon, lat] as [number, number]);
  return { x: box.x + p.x, y: box.y + p.y };
}

const hex = (c: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
const ZONE_FILL = hex('#ebe6da');
/** Each status colour as drawn: the parcel fill's opacity (0.85 at z16) over the light zone ground. */
const DRAWN = Object.entries(STATUS_COLORS).map(([status, c]) => ({
  status: status as ParcelStatus,
  rgb: hex(c).map((v, i) => v * 0.85 + ZONE_FILL[i] * 0.15),
}));

function nearestStatus(rgb: [number, number, number]): ParcelStatus {
  const d = (a: number[]) => a.reduce((s, v, i) => s + (v - rgb[i]) ** 2, 0);
  return DRAWN.reduce((best, c) => (d(c.rgb) < d(best.rgb) ? c : best)).status;
}

/** The status colour most pixels around a page point show, and how many of 49 show it. */
async function statusDrawnAt(x: number, y: number): Promise<{ status: ParcelStatus; share: number }> {
  const box = (await page.locator('[data-testid="map"]').boundingBox())!;
  const img = decodePng(await page.locator('[data-testid="map"]').screenshot());
  const votes = new Map<ParcelStatus, number>();
  for (let dx = -3; dx <= 3; dx++) {
    for (let dy = -3; dy <= 3; dy++) {
      const s = nearestStatus(pixel(img, x - box.x + dx * 2, y - box.y + dy * 2));
      votes.set(s, (votes.get(s) ?? 0) + 1);
    }
  }
  const [status, n] = [...votes].sort((a, b) => b[1] - a[1])[0];
  return { status, share: n / 49 };
}

async function renderedParcels(): Promise<{ code: string; status: string; area_m2: number; land_use: string }[]> {
  return page.evaluate(() =>
    window.parkatlasMap!.queryRenderedFeatures({ layers: ['parcels-fill'] }).map((f) => f.properties as { code: string; status: string; area_m2: number; land_use: string }),
  );
}

async function canvasVisibility(): Promise<string> {
  return page.evaluate(() => getComputedStyle(window.parkatlasMap!.getCanvas()).visibility);
}

async function listedParcels(): Promise<{ code: string; status: string }[]> {
  await page.waitForSelector('[data-testid="results"][data-loading="false"]');
  return page.$$eval('[data-testid="results"] li button', (els) => els.map((e) => ({ code: e.getAttribute('data-code')!, status: e.getAttribute('data-status')! })));
}

let session: AppSession;

beforeAll(async () => {
  session = await openAppSession();
  ({ server, context, page, requests } = session);
}, 300_000);

afterAll(async () => {
  await session?.close();
});

describe('the map in Chromium', () => {
  let parcels: ParcelAt[];

  it('opens with WebGL and draws the parcel tiles', { timeout: SLOW }, async () => {
    await page.goto(`${server.origin}/`);
    expect(await webglRenderer(page), 'headless Chromium gave no WebGL2 context: MapLibre cannot draw').not.toBeNull();
    await waitForMapIdle(page);
    parcels = await rows<ParcelAt>(
      `SELECT DISTINCT ON (status) code, status, ST_X(label_point) AS lon, ST_Y(label_point) AS lat
       FROM parcel ORDER BY status, area_m2 DESC`,
    );
    expect(parcels.length).toBe(5);
    await jumpTo([parcels[0].lon, parcels[0].lat], 15);
    expect((await renderedParcels()).length).toBeGreaterThan(0);
    expect(requests.some((u) => /\/api\/tiles\/parcels\/15\/\d+\/\d+\.mvt$/.test(u))).toBe(true);
  });

  it('marks the first frame drawn with every parcel tile of the opening view (what the first-paint bench reads)', { timeout: SLOW }, async () => {
    const p = parcels[0];
    // about:blank first: a new hash on the same page would only move the map, not load a new one.
    await page.goto('about:blank');
    await page.goto(`${server.origin}/#15/${p.lat}/${p.lon}/0/0`);
    await waitForMapIdle(page);
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
    expect(marks['parkatlas:parcels-painted']).toBeGreaterThan(marks['parkatlas:map-created']);
    expect((await renderedParcels()).map((r) => r.code)).toContain(p.code);
    // The canvas is kept hidden while the parcel tiles come in, and shown by the frame that has them all.
    expect(marks['parkatlas:canvas-shown']).toBeGreaterThan(marks['parkatlas:map-created']);
    expect(marks['parkatlas:canvas-shown']).toBeLessThanOrEqual(marks['parkatlas:parcels-painted']);
    expect(await canvasVisibility()).toBe('visible');
    // A view with no parcels (below their first zoom) marks nothing.
    await page.goto('about:blank');
    await page.goto(`${server.origin}/#12/${p.lat}/${p.lon}/0/0`);
    await waitForMapIdle(page);
    expect(await page.evaluate(() => performance.getEntriesByName('parkatlas:parcels-painted').length)).toBe(0);
    expect(await canvasVisibility()).toBe('visible');
  });

  it('paints each parcel in its status colour', { timeout: SLOW }, async () => {
    // Buildings would cover the parcels' middles: switch them off in the layer panel first.
    await page.locator('input[name="layer-buildings"]').uncheck();
    expect(await page.evaluate(() => window.parkatlasMap!.getLayoutProperty('buildings-fill', 'visibility'))).toBe('none');
    await page.mouse.move(5, 400);
    for (const p of parcels) {
      await jumpTo([p.lon, p.lat], 16);
      const at = await pagePoint(p.lon, p.lat);
      const drawn = await statusDrawnAt(at.x, at.y);
      expect(drawn.status, `parcel ${p.code} (${p.status})`).toBe(p.status);
      expect(drawn.share).toBeGreaterThan(0.6);
    }
  });

  it('highlights the parcel under the pointer and opens its panel on click', { timeout: SLOW }, async () => {
    const p = parcels.find((q) => q.status === 'idle') ?? parcels[0];
    await jumpTo([p.lon, p.lat], 16);
    const at = await pagePoint(p.lon, p.lat);
    await page.mouse.move(at.x, at.y);
    await page.waitForFunction((code) => window.parkatlasMap!.getFeatureState({ source: 'parcels', sourceLayer: 'parcels', id: code }).hover === true, p.code);
    await page.mouse.click(at.x, at.y);
    const panel = page.locator(`[data-testid="detail"][data-collection="parcels"][data-id="${p.code}"]`);
    await panel.waitFor();
    await panel.locator('[data-testid="attributes"] tr[data-attr="status"]').waitFor();
    expect(await panel.locator('tr[data-attr="code"] td').innerText()).toBe(p.code);
    expect(await panel.locator('tr[data-attr="status"] td').innerText()).toBe(messages.zh[`status_${p.status}`]);
    await panel.locator('[data-testid="history"]').waitFor();
    await panel.locator('[data-testid="parcel-buildings"]').waitFor();
    expect(new URL(page.url()).searchParams.get('sel')).toBe(`parcels:${p.code}`);
    // The selection outline follows the click.
    expect(JSON.stringify(await page.evaluate(() => window.parkatlasMap!.getFilter('parcels-selected')))).toContain(p.code);
    await panel.locator('button.close').click();
    await page.locator('[data-testid="detail"]').waitFor({ state: 'detached' });
  });

  it("opens a building's panel with its units, tenants and history", { timeout: SLOW }, async () => {
    await page.locator('input[name="layer-buildings"]').check();
    const [b] = await rows<{ code: string; lon: number; lat: number; units: number }>(
      `SELECT b.code, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat,
              (SELECT count(*)::int FROM unit u WHERE u.building = b.code) AS units
       FROM building b ORDER BY (SELECT count(*) FROM lease l JOIN unit u ON u.code = l.unit WHERE u.building = b.code) DESC, b.code LIMIT 1`,
    );
    await jumpTo([b.lon, b.lat], 17);
    const at = await pagePoint(b.lon, b.lat);
    await page.mouse.click(at.x, at.y);
    const panel = page.locator(`[data-testid="detail"][data-collection="buildings"][data-id="${b.code}"]`);
    await panel.waitFor();
    await panel.locator('[data-testid="units"] tbody tr').first().waitFor();
    expect(await panel.locator('[data-testid="units"] tbody tr').count()).toBe(b.units);
    await panel.locator('[data-testid="tenants"]').waitFor();
    expect(await panel.locator('tr[data-attr="park"] td').innerText()).toMatch(/^P\d+/);
    await panel.locator('[data-testid="history"]').waitFor();
    await panel.locator('button.close').click();
  });

  it('filters what the map draws and what the list shows, together', { timeout: SLOW }, async () => {
    const [c] = await rows<{ lon: number; lat: number }>(`SELECT ST_X(ST_Centroid(ST_Collect(label_point))) AS lon, ST_Y(ST_Centroid(ST_Collect(label_point))) AS lat FROM parcel`);
    await jumpTo([c.lon, c.lat], 14);
    const before = await renderedParcels();
    expect(new Set(before.map((f) => f.status)).size).toBeGreaterThan(1);
    const listedBefore = await listedParcels();
    expect(listedBefore.length).toBeGreaterThan(0);

    await page.locator('[data-testid="filters"] label[data-status="idle"]').click();
    await page.waitForFunction(() => JSON.stringify(window.parkatlasMap!.getFilter('parcels-fill') ?? null).includes('"idle"'));
    await waitForMapIdle(page);
    const after = await renderedParcels();
    expect(after.length).toBeGreaterThan(0);
    expect(after.length).toBeLessThan(before.length);
    expect(after.every((f) => f.status === 'idle')).toBe(true);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="results"] li button')].every((b) => b.getAttribute('data-status') === 'idle'));
    const listed = await listedParcels();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((p) => p.status === 'idle')).toBe(true);
    expect(new URL(page.url()).searchParams.get('status')).toBe('idle');

    // A minimum area narrows both again, by the same attribute.
    const mu = after.map((f) => f.area_m2 / (10000 / 15)).sort((a, b) => a - b);
    const min = Math.ceil(mu[Math.floor(mu.length / 2)]);
    await page.locator('input[name="min-area-mu"]').fill(String(min));
    await page.waitForFunction(() => JSON.stringify(window.parkatlasMap!.getFilter('parcels-fill')).includes('"area_m2"]'));
    await waitForMapIdle(page);
    const larger = await renderedParcels();
    expect(larger.length).toBeGreaterThan(0);
    expect(larger.length).toBeLessThan(after.length);
    expect(larger.every((f) => f.status === 'idle' && f.area_m2 >= (min * 10000) / 15 - 0.01)).toBe(true);
    // The list follows: only idle parcels of at least that area, as the API counts them.
    await expect.poll(() => page.url(), { timeout: 20_000 }).toContain(`min_area_mu=${min}`);
    await page.waitForSelector('[data-testid="results"][data-loading="false"]');
    const listedLarge = await page.$$eval('[data-testid="results"] li button', (els) => els.map((e) => e.getAttribute('data-code')!));
    const bounds = await page.evaluate(() => window.parkatlasMap!.getBounds().toArray().flat().join(','));
    const api = (await (await fetch(`${server.origin}/api/parcels?status=idle&min_area_mu=${min}&bbox=${bounds}&limit=10000`)).json()) as { features: { id: string }[] };
    expect(listedLarge.every((code) => api.features.some((f) => f.id === code))).toBe(true);

    await page.locator('[data-testid="filters"] button.link').click();
    await page.waitForFunction(() => !window.parkatlasMap!.getFilter('parcels-fill'));
    await expect.poll(() => page.url(), { timeout: 20_000 }).not.toMatch(/status=|min_area_mu=/);
  });

  it('switches between Chinese and English, labels included', { timeout: SLOW }, async () => {
    expect(await page.locator('.topbar h1').innerText()).toContain('园区资源一张图');
    await page.locator('[data-testid="toggle-lang"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.locator('.topbar h1').innerText()).toContain('ParkAtlas');
    expect(await page.locator('[data-testid="legend"]').innerText()).toContain('Idle');
    const nameField = () => page.evaluate(() => window.parkatlasMap!.getLayoutProperty('labels-parks', 'text-field'));
    expect(await nameField()).toEqual(['coalesce', ['get', 'name_en'], ['get', 'name']]);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('lang') === 'en');
    await page.locator('[data-testid="toggle-lang"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(await page.locator('[data-testid="legend"]').innerText()).toContain('闲置');
    expect(await nameField()).toEqual(['coalesce', ['get', 'name'], ['get', 'name_en']]);
  });

  it('shows a park’s totals in the park view and flies to it', { timeout: SLOW }, async () => {
    const [park] = await rows<{ code: string; lon: number; lat: number }>(
      `SELECT k.code, ST_X(ST_Centroid(ST_Envelope(k.geom))) AS lon, ST_Y(ST_Centroid(ST_Envelope(k.geom))) AS lat
       FROM park k ORDER BY (SELECT count(*) FROM parcel p WHERE ST_Intersects(k.geom, p.label_point)) DESC LIMIT 1`,
    );
    await page.locator('select[name="focus-park"]').selectOption(park.code);
    const card = page.locator(`[data-testid="park-summary"][data-park="${park.code}"]`);
    await card.waitFor();
    const summary = (await (await fetch(`${server.origin}/api/parks/${park.code}/summary`)).json()) as { land: { parcels: number } };
    expect(await card.locator('[data-figure="parcels"]').innerText()).toBe(String(summary.land.parcels));
    for (const f of ['land_mu', 'idle_mu', 'floor_area', 'vacancy_rate', 'enterprises']) expect(await card.locator(`[data-figure="${f}"]`).innerText()).not.toBe('');
    await page.waitForTimeout(1200);
    await waitForMapIdle(page);
    const center = await page.evaluate(() => window.parkatlasMap!.getCenter().toArray());
    expect(Math.abs(center[0] - park.lon)).toBeLessThan(0.01);
    expect(Math.abs(center[1] - park.lat)).toBeLessThan(0.01);
    expect(new URL(page.url()).searchParams.get('focus')).toBe(park.code);
  });

  it('extrudes buildings floor by floor in 3D, coloured by each floor’s vacancy', { timeout: SLOW }, async () => {
    const [b] = await rows<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM building b
       WHERE EXISTS (SELECT 1 FROM unit u WHERE u.building = b.code) ORDER BY floors DESC LIMIT 1`,
    );
    await jumpTo([b.lon, b.lat], 16);
    await page.locator('[data-testid="toggle-3d"]').click();
    await page.waitForFunction(() => window.parkatlasMap!.getPitch() > 55);
    await waitForMapIdle(page);
    expect(await page.evaluate(() => window.parkatlasMap!.getLayoutProperty('floors-3d', 'visibility'))).toBe('visible');
    const floors = await page.evaluate(() => window.parkatlasMap!.queryRenderedFeatures({ layers: ['floors-3d'] }).map((f) => f.properties));
    expect(floors.length).toBeGreaterThan(0);
    expect(floors.some((f) => typeof f.vacancy_rate === 'number')).toBe(true);
    expect(new URL(page.url()).searchParams.get('3d')).toBe('1');
    await page.locator('[data-testid="toggle-3d"]').click();
    await page.waitForFunction(() => window.parkatlasMap!.getPitch() < 1);
  });

  it('restores the sender’s view, filters, language and selection from a shared link', { timeout: SLOW }, async () => {
    const p = parcels.find((q) => q.status === 'available') ?? parcels[0];
    const link = `${server.origin}/?status=available,occupied&land_use=M,B&lang=en&sel=parcels:${p.code}#15.5/${p.lat.toFixed(6)}/${p.lon.toFixed(6)}/30/40`;
    const other = await context.newPage();
    try {
      await other.goto(link);
      await waitForMapIdle(other);
      const view = await other.evaluate(() => {
        const m = window.parkatlasMap!;
        return { zoom: m.getZoom(), center: m.getCenter().toArray(), bearing: m.getBearing(), pitch: m.getPitch() };
      });
      expect(view.zoom).toBeCloseTo(15.5, 5);
      expect(view.center[0]).toBeCloseTo(p.lon, 5);
      expect(view.center[1]).toBeCloseTo(p.lat, 5);
      expect(view.bearing).toBeCloseTo(30, 5);
      expect(view.pitch).toBeCloseTo(40, 5);
      expect(await other.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(await other.locator('input[name="status-available"]').isChecked()).toBe(true);
      expect(await other.locator('input[name="status-idle"]').isChecked()).toBe(false);
      expect(await other.locator('input[name="land-use-B"]').isChecked()).toBe(true);
      await other.locator(`[data-testid="detail"][data-id="${p.code}"]`).waitFor();
      const filter = JSON.stringify(await other.evaluate(() => window.parkatlasMap!.getFilter('parcels-fill')));
      expect(filter).toContain('available');
      expect(filter).toContain('"M","B"');
      // Moving the map rewrites the link.
      await other.evaluate(() => window.parkatlasMap!.jumpTo({ zoom: 13.25 }));
      await other.waitForFunction(() => location.hash.startsWith('#13.25/'));
      expect(new URL(other.url()).searchParams.get('sel')).toBe(`parcels:${p.code}`);
    } finally {
      await other.close();
    }
  });

  it('hatches the parcels whose record nobody has verified for a year', { timeout: SLOW }, async () => {
    const p = parcels[0];
    // about:blank first: a new hash on the same page would only move the map, not load a new one.
    await page.goto('about:blank');
    await page.goto(`${server.origin}/#15/${p.lat}/${p.lon}/0/0`);
    await waitForMapIdle(page);
    await page.locator('input[name="stale"]').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('stale') === '1');
    await waitForMapIdle(page);
    await page.locator('[data-testid="legend-stale"]').waitFor();
    const codes = (layer: string) =>
      page.evaluate((layer) => [...new Set(window.parkatlasMap!.queryRenderedFeatures({ layers: [layer] }).map((f) => String(f.properties.code)))].sort(), layer);
    const drawn = await codes('parcels-fill');
    const hatched = await codes('parcels-stale');
    const stale = (await rows<{ code: string }>(
      `SELECT code FROM parcel WHERE code = ANY($1) AND (verified_at IS NULL OR verified_at < current_date - 365) ORDER BY code`, [drawn],
    )).map((r) => r.code);
    expect(drawn.length).toBeGreaterThan(stale.length);
    expect(stale.length).toBeGreaterThan(0);
    expect(hatched).toEqual(stale);
    await page.locator('input[name="stale"]').uncheck();
    await waitForMapIdle(page);
    expect(await page.evaluate(() => window.parkatlasMap!.getLayoutProperty('parcels-stale', 'visibility'))).toBe('none');
  });

  it('saves a current screenshot to docs/screenshot.png', { timeout: SLOW }, async () => {
    // The busiest park in the park view, with its tallest letting building selected and the map on it.
    const [view] = await rows<{ park: string; building: string; lon: number; lat: number }>(
      `WITH k AS (SELECT k.code, k.geom FROM park k
                  ORDER BY (SELECT count(*) FROM parcel p WHERE ST_Intersects(k.geom, p.label_point)) DESC LIMIT 1)
       SELECT k.code AS park, b.code AS building, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
       FROM k JOIN parcel q ON ST_Intersects(k.geom, q.label_point) JOIN building b ON b.parcel = q.code
       WHERE EXISTS (SELECT 1 FROM unit u WHERE u.building = b.code)
       ORDER BY b.floors DESC, b.code LIMIT 1`,
    );
    // The same page, not a second one: two SwiftShader WebGL contexts at once starve a busy 2-core machine.
    await page.goto(`${server.origin}/?focus=${view.park}&sel=buildings:${view.building}#16/${view.lat - 0.0008}/${view.lon + 0.0015}/0/0`);
    await waitForMapIdle(page);
    await page.locator('[data-testid="park-summary"]').first().waitFor();
    await page.locator('[data-testid="units"] tbody tr').first().waitFor();
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('made no request to any other origin', () => {
    expect(requests.filter((u) => u.includes('/api/tiles/')).length).toBeGreaterThan(20);
    expect(session.foreignRequests()).toEqual([]);
  });
});
