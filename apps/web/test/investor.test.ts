import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../api/src/auth/keys.ts';
import { openAppSession, type AppSession } from './support/app-session.ts';
import { waitForMapIdle } from './support/browser.ts';
import type { WebServer } from './support/web-server.ts';

/**
 * The investor view in a real browser over the 300-parcel test zone: the criteria form asks the
 * API, the list and the map show its answer in its order, the list sorts, two spaces compare side by
 * side, the link re-runs the search, the CSV holds the rows, and "register interest" opens a lead.
 */

const SLOW = 150_000;
let session: AppSession;
let server: WebServer;
let page: Page;

interface Space {
  kind: 'unit' | 'parcel';
  id: string;
  building: string | null;
  parcel: string;
  area_m2: number;
  rent_cny_m2_month: number | null;
  lon: number;
  lat: number;
}

// The criteria the test types, and the same as the API's body (the app asks for 100 items).
const CRITERIA = { min_area_m2: 200, max_area_m2: 3000, max_rent_m2_month: 40 };
const key = (s: Pick<Space, 'kind' | 'id'>) => `${s.kind}:${s.id}`;

async function search(body: object): Promise<Space[]> {
  const res = await fetch(`${server.origin}/api/spaces/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit: 100, ...body }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Space[] }).items;
}

const listed = () => page.$$eval('[data-testid="space-item"]', (els) => els.map((e) => e.getAttribute('data-key')));

async function resultsLoaded(): Promise<void> {
  await page.waitForSelector('[data-testid="investor"][data-loading="false"] [data-testid="space-list"]');
}

/** The result circles MapLibre has drawn, by `kind:id`. */
async function drawnKeys(): Promise<string[]> {
  return page.evaluate(() => {
    const features = window.parkatlasMap!.queryRenderedFeatures({ layers: ['space-results'] });
    return [...new Set(features.map((f) => String(f.properties.key)))];
  });
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  ({ server, page } = session);
}, 300_000);

afterAll(async () => {
  await session?.close();
});

describe('the investor view in Chromium', () => {
  let expected: Space[];

  it('lists the API’s answer for the criteria, in its order, and draws each on the map', { timeout: SLOW }, async () => {
    expected = await search(CRITERIA);
    expect(expected.length, 'the test zone should offer a few spaces for these criteria').toBeGreaterThanOrEqual(3);

    await page.goto(`${server.origin}/?tab=space#13/35.415/116.675/0/0`);
    await page.waitForSelector('[data-testid="space-form"]');
    expect(await page.locator('[data-testid="tab-space"]').textContent()).toBe('找空间');
    await page.locator('[data-testid="crit-min-area"]').fill('200');
    await page.locator('[data-testid="crit-max-area"]').fill('3000');
    await page.locator('[data-testid="crit-max-rent"]').fill('40');
    await page.locator('[data-testid="space-search"]').click();
    await resultsLoaded();
    expect(await listed()).toEqual(expected.map(key));
    // Each item says why it matched or where it falls short.
    expect(await page.locator('[data-testid="space-item"]').first().locator('.reasons li').count()).toBeGreaterThan(0);
    // Worded by the app from the API's codes and figures, in the app's language.
    const firstReason = page.locator('[data-testid="space-item"]').first().locator('.reasons li').first();
    expect(await firstReason.getAttribute('data-reason')).toMatch(/^(vacant|released)$/);
    expect(await firstReason.textContent()).toMatch(/空置|已供地/);
    // And how its score is made: points per soft criterion given, out of the API's weights.
    expect(await page.locator('[data-testid="space-item"]').first().locator('[data-testid="space-points"] [data-criterion]').evaluateAll((els) => els.map((e) => e.getAttribute('data-criterion'))))
      .toEqual(['area', 'budget']);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('s_area') === '200~3000');
    const q = new URL(page.url()).searchParams;
    expect([q.get('tab'), q.get('s'), q.get('s_rent')]).toEqual(['space', '1', '40']);

    // Every result is a circle on the map, once the view holds them all.
    await waitForMapIdle(page);
    await page.evaluate((points) => {
      const lons = points.map((p) => p[0]);
      const lats = points.map((p) => p[1]);
      window.parkatlasMap!.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], { padding: 60, duration: 0, maxZoom: 16 });
    }, expected.map((s) => [s.lon, s.lat]));
    await waitForMapIdle(page);
    expect((await drawnKeys()).sort()).toEqual(expected.map(key).sort());
  });

  it('sorts by area and by rent, and back to the score', { timeout: SLOW }, async () => {
    const byArea = expected.map((s, i) => ({ s, i })).sort((a, b) => a.s.area_m2 - b.s.area_m2 || a.i - b.i).map(({ s }) => key(s));
    await page.locator('[data-testid="space-sort"]').selectOption('area');
    await page.waitForFunction((first) => document.querySelector('[data-testid="space-item"]')?.getAttribute('data-key') === first, byArea[0]);
    expect(await listed()).toEqual(byArea);
    const rent = (s: Space) => s.rent_cny_m2_month ?? Infinity;
    const byRent = expected.map((s, i) => ({ s, i })).sort((a, b) => rent(a.s) - rent(b.s) || a.i - b.i).map(({ s }) => key(s));
    await page.locator('[data-testid="space-sort"]').selectOption('rent');
    expect(await listed()).toEqual(byRent);
    await page.locator('[data-testid="space-sort"]').selectOption('score');
    expect(await listed()).toEqual(expected.map(key));
  });

  it('compares two spaces side by side and flies to one', { timeout: SLOW }, async () => {
    const items = page.locator('[data-testid="space-item"]');
    await items.nth(0).locator('[data-testid="compare-toggle"]').check();
    await items.nth(1).locator('[data-testid="compare-toggle"]').check();
    const heads = await page.$$eval('[data-testid="compare-table"] thead th[data-key]', (els) => els.map((e) => e.getAttribute('data-key')));
    expect(heads).toEqual(expected.slice(0, 2).map(key));
    for (const row of ['area', 'rent', 'total', 'park', 'floor', 'ready', 'floorLoad', 'clearHeight', 'power', 'availableFrom', 'score']) {
      expect(await page.locator(`[data-testid="compare-table"] tr[data-row="${row}"] td`).count(), row).toBe(2);
    }
    await page.waitForFunction((cmp) => new URL(location.href).searchParams.get('cmp') === cmp, expected.slice(0, 2).map(key).join(','));

    const first = expected[0];
    await items.nth(0).locator('[data-testid="space-pick"]').click();
    const sel = first.kind === 'unit' ? `buildings:${first.building}` : `parcels:${first.parcel}`;
    await page.waitForFunction((s) => new URL(location.href).searchParams.get('sel') === s, sel);
    await page.waitForSelector('[data-testid="detail"]');
    expect(await items.nth(0).getAttribute('class')).toBe('selected');
    await waitForMapIdle(page);
    const center = await page.evaluate(() => window.parkatlasMap!.getCenter().toArray());
    expect(Math.abs(center[0] - first.lon)).toBeLessThan(0.002);
    expect(Math.abs(center[1] - first.lat)).toBeLessThan(0.002);
  });

  it('exports the rows as CSV with a byte-order mark and prints without the map', { timeout: SLOW }, async () => {
    const link = page.locator('[data-testid="space-csv"]');
    expect(await link.getAttribute('href')).toMatch(/^blob:/);
    // The page's CSP (connect-src 'self') keeps scripts from reading blob: URLs; the download is how a user gets it.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^parkatlas-spaces-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await readFile((await download.path())!);
    const text = { head: [...bytes.subarray(0, 3)], text: bytes.toString('utf8') };
    expect(text.head).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('匹配度');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(expected.map((s) => s.id));

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.map-area').isVisible()).toBe(false);
    expect(await page.locator('[data-testid="space-form"]').isVisible()).toBe(false);
    expect(await page.locator('[data-testid="space-list"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="compare-table"]').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('re-runs the search from the link alone, with its comparison', { timeout: SLOW }, async () => {
    const link = page.url();
    await page.goto('about:blank');
    await page.goto(link);
    await resultsLoaded();
    expect(await listed()).toEqual(expected.map(key));
    expect(await page.locator('[data-testid="crit-max-area"]').inputValue()).toBe('3000');
    const heads = await page.$$eval('[data-testid="compare-table"] thead th[data-key]', (els) => els.map((e) => e.getAttribute('data-key')));
    expect(heads).toEqual(expected.slice(0, 2).map(key));
  });

  it('registers interest in a space as a new lead', { timeout: SLOW }, async () => {
    const target = expected[1];
    const item = page.locator(`[data-testid="space-item"][data-key="${key(target)}"]`);
    await item.locator('[data-testid="enquire"]').click();
    await item.locator('[data-testid="enq-company"]').fill('济宁测试精密机械有限公司');
    await item.locator('[data-testid="enq-contact"]').fill('王经理');
    await item.locator('[data-testid="enq-phone"]').fill('0537-1234567');
    await item.locator('[data-testid="enq-note"]').fill('需要 5 吨行车');
    await item.locator('[data-testid="enq-submit"]').click();
    const done = item.locator('[data-testid="enquiry-done"]');
    await done.waitFor();
    expect(await done.getAttribute('data-stage')).toBe('new');
    const id = Number(await done.getAttribute('data-lead'));
    // Leads hold contacts: staff read them (the public may only register one).
    expect((await fetch(`${server.origin}/api/leads`)).status).toBe(401);
    const { secret } = await createKey(server.db, { name: 'investment office', scopes: ['read', 'read-sensitive'] }, 'test');
    const res = await fetch(`${server.origin}/api/leads`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    const lead = ((await res.json()) as { items: { id: number; unit: string | null; parcel: string | null; company_name: string; contact_name: string; stage: string }[] }).items.find((l) => l.id === id);
    expect(lead).toMatchObject({
      company_name: '济宁测试精密机械有限公司', contact_name: '王经理', stage: 'new',
      ...(target.kind === 'unit' ? { unit: target.id } : { parcel: target.id }),
    });

    await page.locator('[data-testid="toggle-lang"]').click();
    expect(await page.locator('[data-testid="tab-space"]').textContent()).toBe('Find space');
    expect(await page.locator('[data-testid="space-search"]').textContent()).toBe('Search');
    expect(await page.locator('[data-testid="space-item"] .reasons li').first().textContent()).toMatch(/vacant on|released for use/);
    expect(await item.locator('[data-testid="enquiry-done"]').textContent()).toContain('Stage: New');

    const foreign = session.foreignRequests();
    expect(foreign).toEqual([]);
  });
});
