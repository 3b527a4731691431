/**
 * Writes the demo zone to files:
 *
 *   npx tsx seeds/src/cli.ts [--parcels N] [--seed S] [--today YYYY-MM-DD] [--out data/generated] [--no-geojson]
 *
 * One NDJSON file per table and GeoJSON for the spatial ones, streamed (a million parcels need no
 * more memory than a thousand), plus a README.md recording the command, the options, and each file's
 * row count and SHA-256, so anyone can regenerate the same bytes and check them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeZoneFiles, type WrittenFile } from './files.ts';
import { DEFAULT_OPTIONS, resolveOptions, streamDemoZone, type GenerateOptions } from './stream.ts';

const USAGE = 'usage: npx tsx seeds/src/cli.ts [--parcels N] [--seed S] [--today YYYY-MM-DD] [--out DIR] [--no-geojson]';

function parseIntOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got '${value}'`);
  return n;
}

function manifest(command: string, options: Required<GenerateOptions>, files: WrittenFile[]): string {
  const rows = files
    .map((f) => `| ${f.file} | ${f.rows.toLocaleString('en-US')} | ${f.bytes.toLocaleString('en-US')} | \`${f.sha256}\` |`)
    .join('\n');
  return `# ParkAtlas demo zone (generated)

A synthetic Jining High-tech Zone for demos, tests and benchmarks: made-up parcels, buildings, units,
enterprises, leases and projects laid out inside the real zone's 7 areas, 13 parks and 3 corridors.
Not real data.

Made by:

\`\`\`
${command}
\`\`\`

| option | value |
|---|---|
| parcels | ${options.parcels} |
| seed | ${options.seed} |
| today | ${options.today} |

The generator is deterministic: the same command gives the same bytes (compare the SHA-256 below).
\`*.ndjson\` hold one row per line, keyed by the SQL columns of the table (geometry as GeoJSON in \`geom\`),
and load with \`loadZoneChunks(db, readZoneFiles(dir))\` from \`@parkatlas/seeds\`; \`*.geojson\` are the
spatial tables as FeatureCollections (EPSG:4326) for GIS tools.

| file | rows | bytes | sha256 |
|---|---|---|---|
${rows}
`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      parcels: { type: 'string' },
      seed: { type: 'string' },
      today: { type: 'string' },
      out: { type: 'string' },
      'no-geojson': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options = resolveOptions({
    parcels: parseIntOption('parcels', values.parcels) ?? DEFAULT_OPTIONS.parcels,
    seed: parseIntOption('seed', values.seed) ?? DEFAULT_OPTIONS.seed,
    today: values.today ?? DEFAULT_OPTIONS.today,
  });
  const out = values.out ?? 'data/generated';
  // Record the command with every option spelled out, so it reproduces the files whatever the defaults become.
  const command = `npx tsx seeds/src/cli.ts --parcels ${options.parcels} --seed ${options.seed} --today ${options.today} --out ${out}${values['no-geojson'] ? ' --no-geojson' : ''}`;

  const started = performance.now();
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 200);
  const files = await writeZoneFiles(out, streamDemoZone(options), { geojson: !values['no-geojson'] });
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  writeFileSync(join(out, 'README.md'), manifest(command, options, files));

  for (const f of files) console.log(`${f.file.padEnd(22)} ${String(f.rows).padStart(10)} rows ${String(f.bytes).padStart(13)} bytes`);
  console.log(`wrote ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${Math.round(peakRss / 1e6)} MB`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  console.error(USAGE);
  process.exitCode = 1;
});
