import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with WebGL on the CPU (SwiftShader) and no calls home. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-domain-reliability',
    ],
  });
}

/** The WebGL renderer the page gets, or null: MapLibre cannot draw without one. */
export async function webglRenderer(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    return gl ? String(gl.getParameter(gl.RENDERER)) : null;
  });
}

/** Resolves once the map has drawn everything it asked for and stopped moving. */
export async function waitForMapIdle(page: Page, timeout = 90_000): Promise<void> {
  await page.waitForSelector('[data-testid="map"][data-ready="true"]', { timeout });
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const map = window.parkatlasMap!;
        if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) resolve(true);
        else map.once('idle', () => resolve(true));
      }),
    null,
    { timeout, polling: 250 },
  );
}
