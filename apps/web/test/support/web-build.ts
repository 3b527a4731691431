import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds the web app unless dist/ is newer than every source file; returns the dist folder. */
export function ensureWebBuild(): string {
  const index = join(WEB_DIST, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(WEB_ROOT, p)).filter(existsSync);
  if (existsSync(index) && statSync(index).mtimeMs > Math.max(...sources.map(newestMtime))) return WEB_DIST;
  execFileSync('npm', ['run', 'build', '--workspace', '@parkatlas/web'], { cwd: join(WEB_ROOT, '../..'), stdio: 'pipe' });
  return WEB_DIST;
}
