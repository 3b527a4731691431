import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './support/app-session.ts';
import { waitForMapIdle } from './support/browser.ts';
import { decodePng, pixel } from './support/png.ts';
import type { WebServer } from './support/web-server.ts';

/**
 * The indicators dashboard in a real browser over the 300-parcel test zone: its figures are the
 * API's, the scope and the as-of day drive them (and the link), the thematic map shades parks by
 * their class, the idle-land list leads to the parcel, and the printed page is the report.
 */

const SLOW = 150_000;
let session: AppSession;
let server: WebServer;
let page: Page;
let requests: string[];

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.origin}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

const pct = (lang: 'zh' | 'en', v: number) => `${new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 1 }).format(v * 100)}%`;
const figure = (name: string) => page.locator(`[data-testid="dash-figures"] [data-figure="${name}"]`);

async function dashboardLoaded(): Promise<void> {
  await page.waitForSelector('[data-testid="dashboard"][data-loading="false"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="dash-figures"]')!.textContent!.includes('…'));
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1400, height: 900 } });
  ({ server, page, requests } = session);
}, 300_000);

afterAll(async () => {
  await session?.close();
});

interface VacancyRow { key: string | null; vacancy_rate: number | null }

describe('the indicators dashboard in Chromium', () => {
  it('shows the zone’s figures as the API computes them', { timeout: SLOW }, async () => {
    await page.goto(`${server.origin}/`);
    await page.locator('[data-testid="tab-stats"]').click();
    await dashboardLoaded();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('stats');
    const vacancy = await api<{ total: VacancyRow }>('/api/stats/vacancy?by=park');
    expect(await figure('vacancy_rate').textContent()).toBe(pct('zh', vacancy.total.vacancy_rate!));
    const idle = await api<{ items: { idle_share: number | null; parcels: number }[] }>('/api/stats/idle-land/summary?by=zone');
    expect(await figure('idle_mu').textContent()).toContain(idle.items[0].idle_share === null ? '—' : pct('zh', idle.items[0].idle_share));
    const projects = await api<{ total: { projects: number } }>('/api/stats/projects?by=status');
    expect(await figure('projects').textContent()).toMatch(new RegExp(`^${projects.total.projects} · `));
    // One bar per park, in the API's figures, worst first.
    const bars = await page.$$eval('[data-testid="bars-vacancy"] li', (els) => els.map((e) => e.getAttribute('data-key')));
    const parks = (await api<{ items: VacancyRow[] }>('/api/stats/vacancy?by=park')).items.filter((i) => i.key);
    expect(bars).toHaveLength(parks.length);
    expect(bars[0]).toBe(parks.sort((a, b) => (b.vacancy_rate ?? 0) - (a.vacancy_rate ?? 0))[0].key);
    expect(Number(await page.locator('[data-testid="series-vacancy"]').getAttribute('data-points'))).toBe(36);
  });

  it('narrows to a park and goes back in time, and the link keeps both', { timeout: SLOW }, async () => {
    const parks = (await api<{ items: VacancyRow[] }>('/api/stats/vacancy?by=park&as_of=2024-06-30')).items.filter((i) => i.key && i.vacancy_rate !== null);
    const park = parks[0];
    await page.locator('[data-testid="dash-scope"]').selectOption(park.key!);
    await page.waitForFunction((code) => new URL(location.href).searchParams.get('focus') === code, park.key);
    // The slider moves a month at a time; the URL's day is the end of the month it rests on.
    await page.goto(`${server.origin}/?tab=stats&focus=${park.key}&as_of=2024-06-30`);
    await dashboardLoaded();
    expect(await page.locator('[data-testid="as-of-day"]').textContent()).toBe('2024-06-30');
    expect(await figure('vacancy_rate').textContent()).toBe(pct('zh', park.vacancy_rate!));
    expect(await page.locator('[data-testid="bars-vacancy"] li.highlight').getAttribute('data-key')).toBe(park.key);
    expect(requests.some((u) => u.includes('/api/stats/vacancy?by=park&as_of=2024-06-30'))).toBe(true);
    const slider = page.locator('[data-testid="as-of"]');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('as_of') === '2024-05-31');
    await dashboardLoaded();
    const may = (await api<{ items: VacancyRow[] }>('/api/stats/vacancy?by=park&as_of=2024-05-31')).items.find((i) => i.key === park.key)!;
    expect(await figure('vacancy_rate').textContent()).toBe(pct('zh', may.vacancy_rate!));
  });

  it('shades the parks by an indicator, darkest where it is worst', { timeout: SLOW }, async () => {
    await page.goto(`${server.origin}/?tab=stats#12/35.415/116.675/0/0`);
    await dashboardLoaded();
    await page.locator('[data-testid="choropleth-indicator"]').selectOption('vacancy_rate');
    await page.waitForSelector('[data-testid="choropleth-legend"]');
    await waitForMapIdle(page);
    expect(new URL(page.url()).searchParams.get('choro')).toBe('vacancy_rate:parks');
    const parks = (await api<{ items: VacancyRow[] }>('/api/stats/vacancy?by=park')).items
      .filter((i) => i.key && i.vacancy_rate !== null)
      .sort((a, b) => a.vacancy_rate! - b.vacancy_rate!);
    const [best, worst] = [parks[0], parks[parks.length - 1]];
    const fill = await page.evaluate(() => window.parkatlasMap!.getPaintProperty('parks-fill', 'fill-color')) as unknown[];
    const colorOf = (code: string) => fill[fill.indexOf(code) + 1];
    expect(colorOf(worst.key!)).toBe('#a50f15');
    expect(colorOf(best.key!)).toBe('#fee5d9');
    // And that is what is drawn: inside each park, away from its label in the middle.
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    const img = decodePng(await page.locator('[data-testid="map"]').screenshot());
    for (const [park, color] of [[worst.key!, [0xa5, 0x0f, 0x15]], [best.key!, [0xfe, 0xe5, 0xd9]]] as const) {
      const [{ lon, lat }] = (await server.db.query<{ lon: number; lat: number }>(
        `SELECT ST_XMin(geom) + 0.22 * (ST_XMax(geom) - ST_XMin(geom)) AS lon, ST_YMin(geom) + 0.22 * (ST_YMax(geom) - ST_YMin(geom)) AS lat
         FROM park WHERE code = $1`, [park])).rows;
      const p = await page.evaluate(([lon, lat]) => window.parkatlasMap!.project([lon, lat]), [lon, lat] as [number, number]);
      const drawn = pixel(img, p.x, p.y);
      const distance = (c: readonly number[]) => Math.hypot(...c.map((v, i) => v - drawn[i]));
      // The fill is 75% opaque over the light ground: nearer its own colour than the other end's.
      const other = color[0] === 0xa5 ? [0xfe, 0xe5, 0xd9] : [0xa5, 0x0f, 0x15];
      expect(distance(color), `park ${park} drawn ${drawn} at ${p.x},${p.y} (map at ${box.x},${box.y})`).toBeLessThan(distance(other));
    }
    await page.locator('[data-testid="choropleth-indicator"]').selectOption('');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('choro'));
    const plain = await page.evaluate(() => window.parkatlasMap!.getPaintProperty('parks-fill', 'fill-color'));
    expect(typeof plain).toBe('string');
  });

  it('lists idle land with the rule that decided it, and leads to the parcel', { timeout: SLOW }, async () => {
    const list = await api<{ items: { parcel: string; class: string; rule: string }[] }>(
      '/api/stats/idle-land?class=recoverable,idle_1y,stalled,supplied_unused,approved_unsupplied&limit=200',
    );
    const rows = page.locator('[data-testid="idle-list"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(Math.min(50, list.items.length));
    const first = list.items[0];
    expect(await rows.first().getAttribute('data-parcel')).toBe(first.parcel);
    expect(await rows.first().getAttribute('data-class')).toBe(first.class);
    await rows.first().locator('button').click();
    await page.waitForSelector(`[data-testid="detail"][data-id="${first.parcel}"]`);
    expect(new URL(page.url()).searchParams.get('sel')).toBe(`parcels:${first.parcel}`);
    // Its CSV is the same list, as a file.
    const href = await page.locator('[data-testid="idle-list"] a.csv').getAttribute('href');
    const csv = await fetch(`${server.origin}${href}`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(list.items.length);
  });

  it('speaks English and prints as a report without the map', { timeout: SLOW }, async () => {
    await page.locator('[data-testid="toggle-lang"]').click();
    await dashboardLoaded();
    expect(await page.locator('[data-testid="tab-stats"]').textContent()).toBe('Indicators');
    expect(await page.locator('[data-testid="chart-vacancy"] h2').textContent()).toContain('Vacancy rate by park');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.map-area').isVisible()).toBe(false);
    expect(await page.locator('[data-testid="chart-output"]').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('.map-area').isVisible()).toBe(true);
    const foreign = session.foreignRequests();
    expect(foreign).toEqual([]);
  });
});
