import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { ensureWebBuild } from './web-build.ts';
import { startWebServer, type WebServer } from './web-server.ts';

/**
 * One browser test file's world: the built app served over a private copy of the test zone, a
 * headless Chromium with one page, and every URL the pages request (to prove nothing left the origin).
 */
export interface AppSession {
  server: WebServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  requests: string[];
  /** Requests to any origin but the app's own (data: and the page's own blob: URLs count as own). */
  foreignRequests: () => string[];
  close: () => Promise<void>;
}

export async function openAppSession(options: BrowserContextOptions = {}): Promise<AppSession> {
  const server = await startWebServer(ensureWebBuild());
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', ...options });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const own = (u: string) => {
    if (u === 'about:blank') return true;
    const url = new URL(u);
    if (url.protocol === 'data:') return true;
    // blob: URLs (MapLibre's workers, downloads) carry the page's origin.
    return (url.protocol === 'blob:' ? new URL(url.pathname).origin : url.origin) === server.origin;
  };
  return {
    server,
    browser,
    context,
    page,
    requests,
    foreignRequests: () => requests.filter((u) => !own(u)),
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
