import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../api/src/auth/users.ts';
import { openAppSession, type AppSession } from './support/app-session.ts';
import type { WebServer } from './support/web-server.ts';

/**
 * Accounts in a real browser: the admin signs in through the header's form (a wrong password and a
 * throttled attempt each say so), creates a planner and an API key in the admin tab (the key's secret
 * is shown once, works against the API and stops working when revoked), and the planner reverts a
 * parcel to an earlier version from its history, which then names them.
 */

const SLOW = 150_000;
let session: AppSession;
let server: WebServer;
let page: Page;

const ADMIN = { username: 'admin', display_name: '系统管理员', password: 'admin-password-for-tests' };
const PLANNER = { username: 'planner.li', display_name: '李规划', password: 'first-password-1234', newPassword: 'second-password-5678' };

/** A parcel inside a park (the planner is limited to that park), with its history as the test found it. */
let parcel: { code: string; park: string; name: string | null };

async function signIn(username: string, password: string): Promise<void> {
  await page.locator('[data-testid="sign-in"]').click();
  await page.locator('[data-testid="sign-in-username"]').fill(username);
  await page.locator('[data-testid="sign-in-password"]').fill(password);
  await page.locator('[data-testid="sign-in-submit"]').click();
}

/** Signs in from the test process (as another system's script would): the cookie and the CSRF token. */
async function apiSession(username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${server.origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  return { cookie, csrf: ((await res.json()) as { csrf_token: string }).csrf_token };
}

async function renameParcel(as: { cookie: string; csrf: string }, name: string): Promise<number> {
  const read = await fetch(`${server.origin}/api/parcels/${parcel.code}`, { headers: { cookie: as.cookie } });
  const res = await fetch(`${server.origin}/api/parcels/${parcel.code}`, {
    method: 'PATCH',
    headers: { cookie: as.cookie, 'x-csrf-token': as.csrf, 'if-match': read.headers.get('etag')!, 'content-type': 'application/json' },
    body: JSON.stringify({ properties: { name } }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { properties: { version: number } }).properties.version;
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1400, height: 900 } });
  ({ server, page } = session);
  await createUser(server.db, { username: ADMIN.username, display_name: ADMIN.display_name, password: ADMIN.password, role: 'admin' });
  const res = await fetch(`${server.origin}/api/parcels?limit=100`);
  const features = ((await res.json()) as { features: { properties: { code: string; park: string | null; name: string | null } }[] }).features;
  const found = features.find((f) => f.properties.park !== null)!.properties;
  parcel = { code: found.code, park: found.park!, name: found.name };
}, 300_000);

afterAll(async () => {
  await session?.close();
});

describe('accounts in Chromium', () => {
  it('signs the admin in through the header form, after refusing a wrong password and a throttled attempt', { timeout: SLOW }, async () => {
    await page.goto(`${server.origin}/?tab=admin#12/35.415/116.675/0/0`);
    await page.waitForSelector('[data-testid="sign-in"]:not([disabled])');
    // Signed out, a link to the admin tab shows the map, without the admin tab or the import panel.
    expect(await page.locator('[data-testid="tab-admin"]').count()).toBe(0);
    expect(await page.locator('[data-testid="tab-map"]').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('[data-testid="import-panel"]').count()).toBe(0);
    expect(await page.locator('[data-testid="sign-in"]').textContent()).toBe('登录');

    await signIn(ADMIN.username, 'not-the-password');
    await page.waitForSelector('[data-testid="sign-in-error"]');
    expect(await page.locator('[data-testid="sign-in-error"]').textContent()).toBe('用户名或密码不正确');
    expect(await page.locator('[data-testid="sign-in-password"]').inputValue()).toBe('');

    // The API throttles after five failures from one address; the form's 429 message is checked on a staged answer.
    await page.route('**/api/auth/login', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '30' }, contentType: 'application/json', body: JSON.stringify({ error: { code: 'too_many_attempts', message: 'too many failed sign-ins' } }) }), { times: 1 });
    await page.locator('[data-testid="sign-in-password"]').fill(ADMIN.password);
    await page.locator('[data-testid="sign-in-submit"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sign-in-error"]')?.textContent?.includes('30'));
    expect(await page.locator('[data-testid="sign-in-error"]').textContent()).toBe('尝试次数过多，请 30 秒后再试');

    await page.locator('[data-testid="sign-in-password"]').fill(ADMIN.password);
    await page.locator('[data-testid="sign-in-submit"]').click();
    await page.waitForSelector(`[data-testid="account"][data-username="${ADMIN.username}"]`);
    expect(await page.locator('[data-testid="account"] .who').textContent()).toBe(`${ADMIN.display_name} 管理员`);
    expect(await page.locator('[data-testid="sign-out"]').textContent()).toBe('退出');
    // The link asked for the admin tab: now it opens.
    await page.waitForSelector('[data-testid="admin-users"] [data-testid="user-row"]');
    expect(await page.locator('[data-testid="tab-admin"]').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`[data-testid="user-row"][data-username="${ADMIN.username}"]`).count()).toBe(1);
  });

  it('creates a planner limited to one park, and sets them a new password', { timeout: SLOW }, async () => {
    await page.locator('[data-testid="new-user-toggle"]').click();
    await page.locator('[data-testid="new-user-username"]').fill(PLANNER.username);
    await page.locator('[data-testid="new-user-display-name"]').fill(PLANNER.display_name);
    await page.locator('[data-testid="new-user-password"]').fill(PLANNER.password);
    await page.locator('[data-testid="new-user-role"]').selectOption('planner');
    await page.locator(`[data-testid="new-user-parks"] [data-park="${parcel.park}"]`).click();
    await page.locator('[data-testid="new-user-department"]').fill('规划科');
    await page.locator('[data-testid="new-user-submit"]').click();
    const row = page.locator(`[data-testid="user-row"][data-username="${PLANNER.username}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-role')).toBe('planner');
    expect(await row.locator('td').nth(2).textContent()).toBe(parcel.park);
    expect(await row.locator('td').nth(0).textContent()).toContain(`${PLANNER.display_name} · 规划科`);

    await row.locator('[data-testid="user-edit"]').click();
    await page.locator('[data-testid="edit-user-password"]').fill(PLANNER.newPassword);
    await page.locator('[data-testid="edit-user-save"]').click();
    await page.waitForFunction((u) => document.querySelector('[data-testid="admin-users-notice"]')?.textContent === `已保存: ${u}`, PLANNER.username);
    expect(await page.locator('[data-testid="user-editor"]').count()).toBe(0);
    // The old password no longer opens a session, the new one does.
    const old = await fetch(`${server.origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: PLANNER.username, password: PLANNER.password }) });
    expect(old.status).toBe(401);
    await apiSession(PLANNER.username, PLANNER.newPassword);
  });

  it('creates an API key whose secret is shown once, reads with it, lists it, and revokes it', { timeout: SLOW }, async () => {
    await page.locator('[data-testid="new-key-toggle"]').click();
    await page.locator('[data-testid="new-key-name"]').fill('不动产登记中心同步');
    expect(await page.locator('[data-testid="new-key-scopes"] input[data-scope="read"]').isChecked()).toBe(true);
    await page.locator('[data-testid="new-key-rate"]').fill('120');
    const nextYear = `${new Date().getFullYear() + 1}-12-31`;
    await page.locator('[data-testid="new-key-expires"]').fill(nextYear);
    await page.locator('[data-testid="new-key-submit"]').click();
    await page.waitForSelector('[data-testid="key-secret"]');
    const secret = await page.locator('[data-testid="key-secret"]').inputValue();
    expect(secret).toMatch(/^pa_/);
    expect(await page.locator('[data-testid="key-secret-warning"]').textContent()).toContain('只显示这一次');

    const bearer = { authorization: `Bearer ${secret}` };
    const read = await fetch(`${server.origin}/api/parcels/${parcel.code}`, { headers: bearer });
    expect(read.status).toBe(200);
    await read.body?.cancel();

    // Listed with what it may do, and its secret nowhere but in the box: not in the list, not in the API's list.
    const row = page.locator('[data-testid="key-row"]', { hasText: '不动产登记中心同步' });
    await row.waitFor();
    const id = await row.getAttribute('data-key-id');
    expect(secret).toContain(id);
    expect(await row.getAttribute('data-state')).toBe('active');
    expect(await row.locator('td').nth(1).textContent()).toBe('读取');
    expect(await row.textContent()).toContain(`120 次/分钟 · 到期 ${nextYear}`);
    expect(await row.textContent()).not.toContain(secret);
    const listed = await page.evaluate(() => fetch('/api/admin/keys').then((r) => r.text()));
    expect(listed).toContain(id);
    expect(listed).not.toContain(secret);

    // Closed, the secret is gone from the page for good.
    await page.locator('[data-testid="key-secret-done"]').click();
    expect(await page.locator('[data-testid="key-secret-box"]').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    page.once('dialog', (d) => void d.accept());
    await row.locator('[data-testid="key-revoke"]').click();
    await page.waitForSelector(`[data-testid="key-row"][data-key-id="${id}"][data-state="revoked"]`);
    const refused = await fetch(`${server.origin}/api/parcels/${parcel.code}`, { headers: bearer });
    expect(refused.status).toBe(401);
    await refused.body?.cancel();
  });

  it('lets the planner revert a parcel to an earlier version, recorded as theirs', { timeout: SLOW }, async () => {
    await page.locator('[data-testid="sign-out"]').click();
    await page.waitForSelector('[data-testid="sign-in"]');
    expect(await page.locator('[data-testid="tab-admin"]').count()).toBe(0);
    expect(await (await fetch(`${server.origin}/api/admin/users`)).status).toBe(401);

    // Two changes through the API as the planner: the parcel's history gains two versions.
    const planner = await apiSession(PLANNER.username, PLANNER.newPassword);
    const v2 = await renameParcel(planner, '测试地块（第一次修改）');
    const v3 = await renameParcel(planner, '测试地块（第二次修改）');
    expect(v3).toBe(v2 + 1);

    await signIn(PLANNER.username, PLANNER.newPassword);
    await page.waitForSelector(`[data-testid="account"][data-username="${PLANNER.username}"]`);
    expect(await page.locator('[data-testid="account-role"]').textContent()).toBe('规划员');
    expect(await page.locator('[data-testid="tab-admin"]').count()).toBe(0);
    expect(await page.locator('[data-testid="import-panel"]').count()).toBe(1);

    await page.goto(`${server.origin}/?sel=parcels:${parcel.code}#16/35.415/116.675/0/0`);
    const history = page.locator('[data-testid="history"]');
    await history.locator(`li[data-version="${v3}"]`).waitFor();
    // The current version has no revert button; the one before has.
    expect(await history.locator(`li[data-version="${v3}"] [data-testid="revert"]`).count()).toBe(0);
    // The version the demo load made has no entry of its own, and is offered too.
    expect(await history.locator(`li[data-version="${v2 - 1}"]`).getAttribute('data-operation')).toBe('loaded');
    expect(await history.locator(`li[data-version="${v2 - 1}"] [data-testid="revert"]`).count()).toBe(1);
    const button = history.locator(`li[data-version="${v2}"] [data-testid="revert"]`);
    expect(await button.textContent()).toBe('恢复到此版本');
    await button.click();

    const entry = history.locator(`li[data-version="${v3 + 1}"]`);
    await entry.waitFor();
    expect(await entry.getAttribute('data-operation')).toBe('revert');
    expect(await entry.getAttribute('data-actor')).toBe(PLANNER.username);
    expect(await page.locator('[data-testid="detail"]').getAttribute('data-version')).toBe(String(v3 + 1));
    expect(await page.locator('[data-testid="attributes"] tr[data-attr="name"] td').textContent()).toBe('测试地块（第一次修改）');
    const stored = (await (await fetch(`${server.origin}/api/parcels/${parcel.code}`)).json()) as { properties: { name: string; version: number } };
    expect(stored.properties).toMatchObject({ name: '测试地块（第一次修改）', version: v3 + 1 });

    // Signed out, nothing offers to change data.
    await page.locator('[data-testid="sign-out"]').click();
    await page.waitForSelector('[data-testid="sign-in"]');
    await history.locator(`li[data-version="${v3 + 1}"]`).waitFor();
    expect(await history.locator('[data-testid="revert"]').count()).toBe(0);
    expect(await page.locator('[data-testid="import-panel"]').count()).toBe(0);
  });

  it('speaks English in the sign-in form, and nothing left the origin', { timeout: SLOW }, async () => {
    await page.locator('[data-testid="toggle-lang"]').click();
    expect(await page.locator('[data-testid="sign-in"]').textContent()).toBe('Sign in');
    await signIn(PLANNER.username, 'wrong-password-again');
    expect(await page.locator('[data-testid="sign-in-username-label"]').textContent()).toBe('Username');
    expect(await page.locator('[data-testid="sign-in-password-label"]').textContent()).toBe('Password');
    expect(await page.locator('[data-testid="sign-in-submit"]').textContent()).toBe('Sign in');
    await page.waitForSelector('[data-testid="sign-in-error"]');
    expect(await page.locator('[data-testid="sign-in-error"]').textContent()).toBe('Wrong username or password');

    expect(session.foreignRequests()).toEqual([]);
  });
});
