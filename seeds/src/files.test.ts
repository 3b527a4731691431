import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readZoneFiles, writeZoneFiles } from './files.ts';
import { emptyZone, generateDemoZone } from './generate.ts';
import { streamDemoZone } from './stream.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'parkatlas-seeds-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('zone files', () => {
  it('read back exactly the rows that were written', async () => {
    const dir = tempDir();
    const options = { parcels: 120, seed: 5 };
    await writeZoneFiles(dir, streamDemoZone(options));
    const back = emptyZone();
    for await (const chunk of readZoneFiles(dir, 50)) (back[chunk.table] as unknown[]).push(...chunk.rows);
    expect(JSON.stringify(back)).toBe(JSON.stringify(generateDemoZone(options)));
    const parcels = JSON.parse(readFileSync(join(dir, 'parcels.geojson'), 'utf8'));
    expect(parcels.type).toBe('FeatureCollection');
    expect(parcels.features).toHaveLength(120);
    expect(parcels.features[0].properties).not.toHaveProperty('geom');
  });

  it('are written by the CLI with a manifest that records the command and each file’s hash', () => {
    const dir = tempDir();
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    execFileSync(process.execPath, [tsx, cli, '--parcels', '80', '--seed', '3', '--out', dir, '--no-geojson'], { stdio: 'pipe' });
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('--parcels 80 --seed 3 --today 2026-11-25');
    const line = readme.split('\n').find((l) => l.startsWith('| parcels.ndjson |'))!;
    const [, , rows, , sha] = line.split('|').map((c) => c.trim());
    expect(rows).toBe('80');
    expect(sha).toBe('`' + createHash('sha256').update(readFileSync(join(dir, 'parcels.ndjson'))).digest('hex') + '`');
  }, 60_000);
});
