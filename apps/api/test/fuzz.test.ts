import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProblem } from '../src/errors.ts';
import { catalog, type CollectionInfo } from '../src/ogc/catalog.ts';
import { compileFilter, type FilterNode } from '../src/ogc/cql2.ts';
import { STORAGE_CRS } from '../src/ogc/crs.ts';
import { parseItemsQuery } from '../src/ogc/params.ts';
import { parcels } from '../src/routes/parcels.ts';
import { startTestApp, type TestApp } from './support/app.ts';

// Bounded-time fuzzing, deterministic by seed. Each target runs for PARKATLAS_FUZZ_MS (default 5 s)
// from PARKATLAS_FUZZ_SEED; every case has its own seed, printed with the smallest input that still
// fails, so `PARKATLAS_FUZZ_CASE=<seed>` replays exactly that case. The rule for every target: a
// hostile input is answered with a result or the project's ApiProblem (a 4xx), never a TypeError,
// RangeError, 5xx, hang or crash. Parsers run in a worker thread so a hang can be cut off.

const BUDGET_MS = Number(process.env.PARKATLAS_FUZZ_MS ?? 5000);
const SEED = Number(process.env.PARKATLAS_FUZZ_SEED ?? 20_240_607);
const REPLAY = process.env.PARKATLAS_FUZZ_CASE === undefined ? undefined : Number(process.env.PARKATLAS_FUZZ_CASE);
/** Longest one parser call may take before it counts as a hang (the machine is shared and slow). */
const HANG_MS = 4000;
const TEST_TIMEOUT = BUDGET_MS * 3 + 60_000;

// ---------------------------------------------------------------- a small seeded PRNG (mulberry32)

interface Rng {
  next(): number;
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, chance: (p) => next() < p, pick: (items) => items[int(items.length)] };
}

// ---------------------------------------------------------------- mutations

const INTERESTING_INTS = [0, 1, -1, 2, 8, -8, 100, 255, 256, 0x7f, 0x80, 0xffff, 0x7fffffff, -0x80000000, 1_000_000, 2_000_000_000];

function mutateBytes(r: Rng, input: Uint8Array, others: Uint8Array[] = []): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  const rounds = 1 + r.int(4);
  for (let k = 0; k < rounds; k++) {
    const at = b.length ? r.int(b.length) : 0;
    switch (r.int(9)) {
      case 0: // bit flips
        for (let i = 0, n = 1 + r.int(8); i < n && b.length; i++) b[r.int(b.length)] ^= 1 << r.int(8);
        break;
      case 1: // interesting bytes
        for (let i = 0, n = 1 + r.int(4); i < n && b.length; i++) b[r.int(b.length)] = r.pick([0, 0xff, 0x7f, 0x80, 0x2c, 0x22, 0x0a, 0x0d, 0x28, 0x29]);
        break;
      case 2: // truncation
        b = b.slice(0, at);
        break;
      case 3: { // insertion of random bytes
        const ins = Uint8Array.from({ length: 1 + r.int(16) }, () => r.int(256));
        b = concat(b.slice(0, at), ins, b.slice(at));
        break;
      }
      case 4: { // duplication of a chunk
        const from = r.int(b.length + 1);
        const chunk = b.slice(from, from + 1 + r.int(64));
        b = concat(b.slice(0, at), chunk, b.slice(at));
        break;
      }
      case 5: { // deletion of a chunk
        b = concat(b.slice(0, at), b.slice(at + 1 + r.int(64)));
        break;
      }
      case 6: { // a random length field: a 32-bit (or 16-bit) integer, either byte order
        if (b.length < 4) break;
        const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const pos = r.int(b.length - 3);
        const value = r.chance(0.7) ? r.pick(INTERESTING_INTS) : r.int(2 ** 32) - 2 ** 31;
        if (r.chance(0.2)) view.setInt16(pos, value, r.chance(0.5));
        else view.setInt32(pos, value | 0, r.chance(0.5));
        break;
      }
      case 7: { // a chunk of another seed spliced in
        if (!others.length) break;
        const o = r.pick(others);
        const from = r.int(o.length + 1);
        b = concat(b.slice(0, at), o.slice(from, from + 1 + r.int(256)), b.slice(at + r.int(64)));
        break;
      }
      default: { // a run of one byte (overlong fields, padding)
        const run = new Uint8Array(1 + r.int(300)).fill(r.pick([0x20, 0x30, 0x39, 0x00, 0x5b, 0x7b, 0x22]));
        b = concat(b.slice(0, at), run, b.slice(at));
      }
    }
  }
  return b;
}

const TEXT_TOKENS = ['"', "'", ',', '\n', '\r\n', '(', ')', '[', ']', '{', '}', ':', '\\', '\u0000', '\ufeff', '1e999', '-0', 'NaN', 'null', 'EMPTY', 'Z', 'M', 'ZM', ' ', '中文', '\ud83d\udca5', '%', '_', '..', '-', '+', '.', 'e'];

function mutateText(r: Rng, input: string): string {
  let s = input;
  const rounds = 1 + r.int(4);
  for (let k = 0; k < rounds; k++) {
    const at = r.int(s.length + 1);
    switch (r.int(6)) {
      case 0:
        s = s.slice(0, at) + r.pick(TEXT_TOKENS) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + r.int(20));
        break;
      case 2: {
        const from = r.int(s.length + 1);
        s = s.slice(0, at) + s.slice(from, from + 1 + r.int(40)) + s.slice(at);
        break;
      }
      case 3:
        s = s.slice(0, at);
        break;
      case 4: // replace a number with an extreme one
        s = s.replace(/-?\d+(\.\d+)?/, () => r.pick(['1e308', '-1e400', '0', '99999999999999999999', '.', '1.2.3', '0x10', 'Infinity']));
        break;
      default:
        s = s.slice(0, at) + String.fromCharCode(r.int(0x3000)) + s.slice(at);
    }
  }
  return s;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ---------------------------------------------------------------- the sandbox: parsers in a worker thread

type Outcome =
  | { kind: 'ok'; value?: unknown }
  | { kind: 'problem'; code: string; status: number }
  | { kind: 'crash'; name: string; message: string; stack: string }
  | { kind: 'hang' };

const require = createRequire(import.meta.url);
const TSX_API = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
const src = (path: string) => new URL(`../src/${path}`, import.meta.url).href;

// The worker loads the parsers as TypeScript (through tsx) and answers one call per message.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsx);
  register();
  const m = {};
  for (const [name, url] of Object.entries(workerData.modules)) m[name] = await import(url);
  const summary = (file) => ({ rows: file.rows.length, fields: file.fields.length });
  const targets = {
    geojson: (b) => summary(m.geojson.parseGeoJson(m.csv.decodeText(Buffer.from(b)))),
    csv: (b) => summary(m.csv.parseCsv(Buffer.from(b))),
    shapefile: (b) => summary(m.shapefile.parseShapefileZip(Buffer.from(b), 'parcels')),
    gpkg: (b) => summary(m.gpkg.parseGeoPackage(Buffer.from(b), 'parcels')),
    upload: (b) => summary(m.index.parseUpload(Buffer.from(b), 'upload', 'parcels')),
    prj: (s) => m.prj.sridOfWkt(s, 'prj'),
    cql2: (s) => m.cql2.parseCql2(s),
  };
  parentPort.on('message', ({ id, target, input }) => {
    try {
      parentPort.postMessage({ id, kind: 'ok', value: targets[target](input) });
    } catch (e) {
      if (e instanceof m.errors.ApiProblem) parentPort.postMessage({ id, kind: 'problem', code: e.code, status: e.status });
      else parentPort.postMessage({ id, kind: 'crash', name: (e && e.constructor && e.constructor.name) || typeof e, message: String(e && e.message !== undefined ? e.message : e).slice(0, 300), stack: String((e && e.stack) || '').split('\\n').slice(1, 5).join('\\n') });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

class Sandbox {
  private worker!: Worker;
  private waiting = new Map<number, (o: Outcome) => void>();
  private id = 0;

  async start(): Promise<void> {
    const modules = {
      errors: src('errors.ts'), index: src('imports/parse/index.ts'), csv: src('imports/parse/csv.ts'), geojson: src('imports/parse/geojson.ts'),
      shapefile: src('imports/parse/shapefile.ts'), gpkg: src('imports/parse/gpkg.ts'), prj: src('imports/parse/prj.ts'), cql2: src('ogc/cql2.ts'),
    };
    // Memory is bounded so a parser that allocates without end dies here, reported, not the test run.
    this.worker = new Worker(WORKER, { eval: true, workerData: { tsx: TSX_API, modules }, resourceLimits: { maxOldGenerationSizeMb: 768 } });
    await new Promise<void>((resolve, reject) => {
      this.worker.once('message', (m: { ready?: boolean; fatal?: string }) => (m.ready ? resolve() : reject(new Error(m.fatal))));
      this.worker.once('error', reject);
    });
    this.worker.on('message', (m: Outcome & { id: number }) => {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
    const died = (e: unknown) => {
      for (const done of this.waiting.values()) done({ kind: 'crash', name: 'WorkerDied', message: String((e as Error)?.message ?? e), stack: '' });
      this.waiting.clear();
    };
    this.worker.on('error', died);
    this.worker.on('exit', (code) => died(`worker exited with ${code}`));
  }

  async run(target: string, input: Uint8Array | string): Promise<Outcome> {
    const id = ++this.id;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<Outcome>((resolve) => {
      this.waiting.set(id, resolve);
      timer = setTimeout(() => resolve({ kind: 'hang' }), HANG_MS);
      this.worker.postMessage({ id, target, input });
    });
    clearTimeout(timer);
    this.waiting.delete(id);
    if (outcome.kind === 'hang' || (outcome.kind === 'crash' && outcome.name === 'WorkerDied')) await this.restart();
    return outcome;
  }

  private async restart(): Promise<void> {
    this.worker.removeAllListeners();
    await this.worker.terminate();
    this.waiting.clear();
    await this.start();
  }

  stop(): Promise<number> {
    this.worker.removeAllListeners();
    return this.worker.terminate();
  }
}

// ---------------------------------------------------------------- the fuzz loop

interface Case<T extends Uint8Array | string> {
  /** What mutation produced; minimized on failure. */
  data: T;
  /** The input the target receives (e.g. the mutated .shp zipped with the other parts). */
  wrap?: (data: T) => Uint8Array | string;
  note?: string;
}

interface Failure {
  target: string;
  caseSeed: number;
  outcome: string;
  input: string;
  note?: string;
}

const signature = (o: Outcome) => (o.kind === 'crash' ? `${o.name}: ${o.message.replace(/\d+/g, 'N').slice(0, 80)}` : o.kind);
const show = (d: Uint8Array | string) =>
  typeof d === 'string' ? JSON.stringify(d.length > 2000 ? `${d.slice(0, 2000)}…(${d.length} chars)` : d) : `base64:${Buffer.from(d.slice(0, 3000)).toString('base64')}${d.length > 3000 ? `…(${d.length} bytes)` : ''}`;

/** Removes chunks of the input while the failure stays the same (delta debugging, time-bounded). */
async function shrink<T extends Uint8Array | string>(data: T, fails: (d: T) => Promise<boolean>, ms = 4000): Promise<T> {
  const deadline = Date.now() + ms;
  let cur = data;
  let chunk = Math.max(1, Math.ceil(cur.length / 2));
  while (chunk >= 1 && Date.now() < deadline) {
    let progressed = false;
    for (let at = 0; at < cur.length && Date.now() < deadline; at += chunk) {
      const cand = (typeof cur === 'string' ? cur.slice(0, at) + cur.slice(at + chunk) : concat(cur.slice(0, at), (cur as Uint8Array).slice(at + chunk))) as T;
      if (cand.length > 0 && (await fails(cand))) {
        cur = cand;
        progressed = true;
        at -= chunk;
      }
    }
    if (!progressed) chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2);
  }
  return cur;
}

/**
 * Runs cases of one target for the budget. `check` turns a case into an outcome; anything but ok
 * or problem is a failure, shrunk and reported with its case seed. Returns the number of cases run.
 */
async function fuzz<T extends Uint8Array | string>(
  target: string,
  index: number,
  generate: (r: Rng) => Case<T>,
  check: (input: Uint8Array | string, c: Case<T>) => Promise<Outcome>,
): Promise<{ cases: number; failures: Failure[]; outcomes: Record<string, number> }> {
  const master = rng(SEED + index * 7919);
  const failures: Failure[] = [];
  const seen = new Set<string>();
  const outcomes: Record<string, number> = {};
  const deadline = Date.now() + BUDGET_MS;
  let cases = 0;
  while (REPLAY !== undefined ? cases < 1 : Date.now() < deadline) {
    const caseSeed = REPLAY ?? master.int(2 ** 31);
    const c = generate(rng(caseSeed));
    const wrap = c.wrap ?? ((d: T) => d);
    const outcome = await check(wrap(c.data), c);
    cases++;
    const key = outcome.kind === 'problem' ? `4xx ${outcome.code}` : outcome.kind;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (outcome.kind === 'ok' || outcome.kind === 'problem') continue;
    const sig = signature(outcome);
    if (seen.has(sig)) continue;
    seen.add(sig);
    const minimal = await shrink(c.data, async (d) => signature(await check(wrap(d), c)) === sig);
    const detail = outcome.kind === 'crash' ? `${sig}\n${outcome.stack}` : sig;
    failures.push({ target, caseSeed, outcome: detail, input: show(minimal), note: c.note });
    console.error(`FUZZ FAILURE ${target}: PARKATLAS_FUZZ_SEED=${SEED} PARKATLAS_FUZZ_CASE=${caseSeed}${c.note ? ` (${c.note})` : ''}\n  ${detail}\n  minimal input: ${show(minimal)}`);
    if (failures.length >= 5) break;
  }
  console.log(`fuzz ${target}: ${cases} cases in ${BUDGET_MS} ms budget (seed ${SEED}): ${JSON.stringify(outcomes)}`);
  return { cases, failures, outcomes };
}

function expectNoFailures(result: { cases: number; failures: Failure[] }) {
  expect(result.cases).toBeGreaterThan(0);
  expect(result.failures.map((f) => `${f.target} case ${f.caseSeed}: ${f.outcome.split('\n')[0]} | input ${f.input.slice(0, 300)}`)).toEqual([]);
}

// ---------------------------------------------------------------- setup: the app, seed files, the worker

let t: TestApp;
let sandbox: Sandbox;
let parcelInfo: CollectionInfo;
let workDir: string;
const seeds: { geojson: Uint8Array[]; csv: Uint8Array[]; shp: Record<string, Uint8Array>[]; gpkg: Uint8Array[]; prj: string[] } = { geojson: [], csv: [], shp: [], gpkg: [], prj: [] };

const GK = (cm: number, fe: number) =>
  `PROJCS["CGCS2000_3_Degree_GK",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

beforeAll(async () => {
  t = await startTestApp();
  sandbox = new Sandbox();
  await sandbox.start();
  parcelInfo = (await catalog(t.db)).get('parcels')!;
  workDir = mkdtempSync(join(tmpdir(), 'parkatlas-fuzz-'));

  // Small valid files, made by the API's own exports of three parcels and three projects.
  const codes = (await t.db.query<{ code: string }>('SELECT code FROM parcel ORDER BY code LIMIT 3')).rows.map((r) => `'${r.code}'`);
  const projects = (await t.db.query<{ code: string }>('SELECT code FROM project ORDER BY code LIMIT 3')).rows.map((r) => `'${r.code}'`);
  const exported = async (collection: string, query: string) => {
    const res = await t.app.inject(`/api/${collection}/export?${query}&filter=${encodeURIComponent(`code IN (${(collection === 'parcels' ? codes : projects).join(',')})`)}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    return new Uint8Array(res.rawPayload);
  };
  seeds.geojson.push(await exported('parcels', 'format=geojson'), await exported('projects', 'format=geojson'));
  seeds.geojson.push(Buffer.from(JSON.stringify({ type: 'Feature', properties: { code: 'X' }, geometry: { type: 'Point', coordinates: [116.6, 35.4] } })));
  seeds.geojson.push(Buffer.from(JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4548' } }, features: [{ type: 'Feature', properties: null, geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] } }] })));
  seeds.csv.push(await exported('parcels', 'format=csv'), await exported('projects', 'format=csv'));
  seeds.csv.push(Buffer.from('code,name,lon,lat\nA,"x, ""y""",116.6,35.4\r\nB,中文,116.7,35.5\n'));
  // GBK text, as Excel in China saves it: name,lon,lat / 中文,116.6,35.4
  seeds.csv.push(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x2c, 0x6c, 0x6f, 0x6e, 0x2c, 0x6c, 0x61, 0x74, 0x0a, 0xd6, 0xd0, 0xce, 0xc4, 0x2c, 0x31, 0x31, 0x36, 0x2e, 0x36, 0x2c, 0x33, 0x35, 0x2e, 0x34]));
  seeds.csv.push(Buffer.from('wkt;code\n"MULTIPOLYGON Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)),((5 5, 6 5, 6 6, 5 5)))";A\nPOINT(1 2);B\n'));
  for (const crs of ['', '&crs=EPSG:4548']) seeds.shp.push(unzipSync(await exported('parcels', `format=shp${crs}`)));
  for (const crs of ['', '&crs=EPSG:4527']) seeds.gpkg.push(await exported('parcels', `format=gpkg${crs}`));
  seeds.gpkg.push(await exported('projects', 'format=gpkg'));
  seeds.prj.push(...seeds.shp.map((s) => Buffer.from(Object.entries(s).find(([n]) => n.endsWith('.prj'))![1]).toString('utf8')));
  seeds.prj.push(
    GK(117, 500000), GK(117, 39500000), GK(120, 500000),
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
    'GEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101]],CS[ellipsoidal,2],ID["EPSG",4490]]',
    'PROJCS["x",GEOGCS["y"],AUTHORITY["EPSG","4548"]]',
  );
}, 240_000);

afterAll(async () => {
  await sandbox?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  await t?.close();
});

const inSandbox = (target: string) => (input: Uint8Array | string) => sandbox.run(target, input);

// ---------------------------------------------------------------- import parsers

describe('import parsers', () => {
  it('GeoJSON: mutated files are read or refused with an ApiProblem', { timeout: TEST_TIMEOUT }, async () => {
    const jsonValues: unknown[] = [null, true, 0, -1, 1e308, 'x', '', [], {}, [[[]]], [1e308, -1e308], [NaN], { type: 'Polygon' }, { type: 'Polygon', coordinates: 'x' }, { type: 'Polygon', coordinates: [[1, 2]] }, { type: 'MultiPolygon', coordinates: [[[['a', 'b']]]] }, { type: 'GeometryCollection', geometries: [] }, { name: 'EPSG:99999' }, { properties: { name: 'EPSG:4548' } }];
    const DEEP = '\u0001deep\u0001';
    const structural = (r: Rng, text: string): string => {
      // Replace a random value of the document by a hostile one, keeping it valid JSON.
      const doc = JSON.parse(text.replace(/^\uFEFF/, ''));
      const nodes: [Record<string, unknown>, string][] = [];
      const walk = (v: unknown, depth: number) => {
        if (v === null || typeof v !== 'object' || depth > 8) return;
        for (const k of Object.keys(v)) {
          nodes.push([v as Record<string, unknown>, k]);
          walk((v as Record<string, unknown>)[k], depth + 1);
        }
      };
      walk(doc, 0);
      for (let i = 0, n = 1 + r.int(3); i < n && nodes.length; i++) {
        const [parent, key] = r.pick(nodes);
        parent[key] = r.chance(0.1) ? DEEP : r.pick(jsonValues);
      }
      // Deep nesting is spliced in as text: JSON.stringify itself would overflow the stack.
      return JSON.stringify(doc).replaceAll(`"${DEEP}"`, `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    };
    const result = await fuzz<Uint8Array>('geojson', 1, (r) => {
      const seed = r.pick(seeds.geojson);
      if (r.chance(0.4)) return { data: Buffer.from(structural(r, Buffer.from(seed).toString('utf8'))), note: 'structural' };
      return { data: r.chance(0.5) ? mutateBytes(r, seed, seeds.geojson) : Buffer.from(mutateText(r, Buffer.from(seed).toString('utf8'))) };
    }, inSandbox('geojson'));
    expectNoFailures(result);
  });

  it('CSV: mutated files are read or refused with an ApiProblem', { timeout: TEST_TIMEOUT }, async () => {
    const result = await fuzz<Uint8Array>('csv', 2, (r) => {
      const seed = r.pick(seeds.csv);
      return { data: r.chance(0.5) ? mutateBytes(r, seed, seeds.csv) : Buffer.from(mutateText(r, Buffer.from(seed).toString('utf8'))) };
    }, inSandbox('csv'));
    expectNoFailures(result);
  });

  it('Shapefile zip: mutated .shp, .dbf, .prj, .cpg and archives are read or refused with an ApiProblem', { timeout: TEST_TIMEOUT }, async () => {
    const result = await fuzz<Uint8Array>('shapefile', 3, (r) => {
      const parts = r.pick(seeds.shp);
      const names = Object.keys(parts);
      const zip = (members: Record<string, Uint8Array>) => zipSync(members, { level: 0 });
      if (r.chance(0.1)) return { data: mutateBytes(r, zip(parts)), note: 'archive bytes' };
      if (r.chance(0.05)) {
        const { [r.pick(names)]: _dropped, ...rest } = parts;
        return { data: zip(rest), note: 'a part missing' };
      }
      const ext = r.pick(['.shp', '.shp', '.shp', '.dbf', '.dbf', '.shx', '.prj', '.cpg']);
      const name = names.find((n) => n.endsWith(ext)) ?? names[0];
      let data = mutateBytes(r, parts[name], Object.values(parts));
      if ((ext === '.shp' || ext === '.dbf') && r.chance(0.5)) {
        // The fields a reader trusts: file length, record length, shape type, part and point counts,
        // part indexes (.shp); record count, header and record lengths, field lengths (.dbf).
        data = Uint8Array.from(parts[name]);
        const view = new DataView(data.buffer);
        const value = () => (r.chance(0.8) ? r.pick(INTERESTING_INTS) : r.int(2 ** 32) - 2 ** 31);
        for (let i = 0, k = 1 + r.int(2); i < k; i++) {
          const [at, size, littleEndian] = r.pick<[number, number, boolean]>(ext === '.shp'
            ? [[24, 4, false], [104, 4, false], [108, 4, true], [144, 4, true], [148, 4, true], [152, 4, true], [156, 4, true]]
            : [[4, 4, true], [8, 2, true], [10, 2, true], [48, 1, true], [80, 1, true], [43, 1, true]]);
          if (at + size > data.length) continue;
          if (size === 4) view.setInt32(at, value() | 0, littleEndian);
          else if (size === 2) view.setUint16(at, value() & 0xffff, littleEndian);
          else view.setUint8(at, value() & 0xff);
        }
      }
      return { data, wrap: (d) => zip({ ...parts, [name]: d }), note: `mutated ${name}` };
    }, inSandbox('shapefile'));
    expectNoFailures(result);
  });

  it('GeoPackage: mutated files and tables are read or refused with an ApiProblem', { timeout: TEST_TIMEOUT }, async () => {
    let n = 0;
    /** A copy of a seed changed through SQLite itself: blobs, srs rows, contents, odd values. */
    const sqlMutation = (r: Rng, seed: Uint8Array): { data: Uint8Array; note: string } => {
      const path = join(workDir, `m${n++}.gpkg`);
      writeFileSync(path, seed);
      const db = new Database(path);
      const notes: string[] = [];
      try {
        const layer = (db.prepare(`SELECT table_name FROM gpkg_contents LIMIT 1`).get() as { table_name: string }).table_name;
        const geom = (db.prepare('SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?').get(layer) as { column_name: string } | undefined)?.column_name;
        const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').all(layer) as { name: string }[]).map((c) => c.name);
        const odd = () => r.pick<unknown>([null, 0, -1, 1e308, '', 'x'.repeat(r.int(5000)), Buffer.from(mutateBytes(r, new Uint8Array(16))), 4548, 99999, 'EPSG', 'GP']);
        for (let i = 0, k = 1 + r.int(3); i < k; i++) {
          const what = r.int(8);
          notes.push(String(what));
          const q = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
          if (what === 0 && geom) {
            const row = db.prepare(`SELECT rowid AS id, "${geom}" AS g FROM "${layer}" ORDER BY random() LIMIT 1`).get() as { id: number; g: Buffer } | undefined;
            if (row?.g) q(`UPDATE "${layer}" SET "${geom}" = ? WHERE rowid = ?`, Buffer.from(mutateBytes(r, row.g)), row.id);
          } else if (what === 1) q(`UPDATE gpkg_spatial_ref_sys SET definition = ? WHERE srs_id > 0`, mutateText(r, GK(117, 500000)));
          else if (what === 2) q(`UPDATE gpkg_spatial_ref_sys SET ${r.pick(['organization', 'organization_coordsys_id', 'definition', 'srs_name'])} = ?`, odd());
          else if (what === 3) q(`UPDATE gpkg_geometry_columns SET ${r.pick(['column_name', 'srs_id', 'table_name'])} = ?`, odd());
          else if (what === 4) q(`UPDATE gpkg_contents SET ${r.pick(['table_name', 'data_type', 'srs_id'])} = ?`, odd());
          else if (what === 5) q(`UPDATE "${layer}" SET "${r.pick(cols)}" = ?`, odd());
          else if (what === 6) q(`INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES (?, ?, ?)`, `t${r.int(1000)}`, r.pick(['features', 'attributes', 'tiles']), `i${r.int(1e9)}`);
          else db.exec(`DROP TABLE IF EXISTS ${r.pick(['gpkg_spatial_ref_sys', 'gpkg_geometry_columns', `"${layer}"`])}`);
        }
      } catch {
        // A constraint refused the change: the file is what it is.
      } finally {
        db.close();
      }
      const data = new Uint8Array(readFileSync(path));
      rmSync(path, { force: true });
      return { data, note: `sql ${notes.join(',')}` };
    };
    const result = await fuzz<Uint8Array>('gpkg', 4, (r) => {
      const seed = r.pick(seeds.gpkg);
      return r.chance(0.5) ? sqlMutation(r, seed) : { data: mutateBytes(r, seed, seeds.gpkg), note: 'bytes' };
    }, inSandbox('gpkg'));
    expectNoFailures(result);
  });

  it('.prj: mutated WKT is recognised or refused with an ApiProblem', { timeout: TEST_TIMEOUT }, async () => {
    const result = await fuzz<string>('prj', 5, (r) => ({ data: r.chance(0.1) ? Buffer.from(mutateBytes(r, Buffer.from(r.pick(seeds.prj)))).toString('latin1') : mutateText(r, r.pick(seeds.prj)) }), inSandbox('prj'));
    expectNoFailures(result);
  });

  it('named hostile shapefiles (the faults fuzzing and review found) are read or refused with an ApiProblem, never a crash or a hang', { timeout: TEST_TIMEOUT }, async () => {
    /** A one-record polygon .shp, built as the 1998 description lays it out; `edit` breaks it. */
    const shp = (parts: number[], points: number[][], edit?: (b: Buffer) => void) => {
      const content = 44 + 4 * parts.length + 16 * points.length;
      const b = Buffer.alloc(108 + content);
      b.writeInt32BE(9994, 0);
      b.writeInt32BE(b.length / 2, 24);
      b.writeInt32BE(content / 2, 104);
      b.writeInt32LE(5, 108);
      b.writeInt32LE(parts.length, 144);
      b.writeInt32LE(points.length, 148);
      parts.forEach((p, i) => b.writeInt32LE(p, 152 + 4 * i));
      points.forEach(([x, y], i) => b.writeDoubleLE(x, 152 + 4 * parts.length + 16 * i) && b.writeDoubleLE(y, 160 + 4 * parts.length + 16 * i));
      edit?.(b);
      return b;
    };
    /** A .dbf with one character field of one byte and `count` records of `recordLength` bytes. */
    const dbf = (count: number, recordLength = 2) => {
      const b = Buffer.alloc(65 + Math.min(count, 3) * 2);
      b[0] = 3;
      b.writeUInt32LE(count >>> 0, 4);
      b.writeUInt16LE(65, 8);
      b.writeUInt16LE(recordLength, 10);
      b.write('code', 32, 'latin1');
      b[43] = 0x43; // C
      b[48] = 1;
      b[64] = 0x0d;
      return b;
    };
    const ring = [[0, 0], [0, 1], [1, 1], [0, 0]];
    const cases: Record<string, Uint8Array> = {
      'a part with no points': zipSync({ 'a.shp': shp([0, 4], ring), 'a.dbf': dbf(1) }),
      'a part index past the points': zipSync({ 'a.shp': shp([0, 3_000_000], ring), 'a.dbf': dbf(1) }),
      'a negative part index': zipSync({ 'a.shp': shp([-2_000_000_000], ring), 'a.dbf': dbf(1) }),
      'a record length of -8 (reads the same record forever)': zipSync({ 'a.shp': shp([0], ring, (b) => b.writeInt32BE(-4, 104)), 'a.dbf': dbf(1) }),
      'a record length of 0': zipSync({ 'a.shp': shp([0], ring, (b) => b.writeInt32BE(0, 104)), 'a.dbf': dbf(1) }),
      'a .dbf of 4 billion zero-length records': zipSync({ 'a.shp': shp([0], ring), 'a.dbf': dbf(0xffffffff, 0) }),
      'a .dbf of 3 zero-length records': zipSync({ 'a.shp': shp([0], ring), 'a.dbf': dbf(3, 0) }),
    };
    for (const [name, zip] of Object.entries(cases)) {
      const outcome = await sandbox.run('shapefile', zip);
      expect(['ok', 'problem'], `${name}: ${JSON.stringify(outcome)}`).toContain(outcome.kind);
    }
    expect((await sandbox.run('shapefile', cases['a part with no points'])).kind).toBe('ok');
  });

  it('format detection: any bytes under any name are parsed or refused with an ApiProblem', { timeout: TEST_TIMEOUT }, async () => {
    const all = [...seeds.geojson, ...seeds.csv, ...seeds.gpkg, ...seeds.shp.map((p) => zipSync(p))];
    const result = await fuzz<Uint8Array>('upload', 6, (r) => ({ data: r.chance(0.2) ? Uint8Array.from({ length: r.int(64) }, () => r.int(256)) : mutateBytes(r, r.pick(all), all) }), inSandbox('upload'));
    expectNoFailures(result);
  });
});

// ---------------------------------------------------------------- query-string parsers

const PROPERTIES = ['code', 'area_m2', 'status', 'land_use', 'park', 'name', 'updated_at', 'approval_date', 'geometry', '"code"', '"Code"', 'unknown', 'v.code', 'code;', 'S_X', '"a""b"', '中文'];
const STRINGS = ["'M1'", "'idle'", "''", "'it''s'", "'%'", "'_'", "'\\'", "'\\\\'", "'a\\%'", "'\u0000'", "'中文'", "'" + 'x'.repeat(300) + "'", "'2024-01-01'", "'2024-02-30'", "'9999-99-99'", "'1e400'"];
const NUMBERS = ['0', '-1', '1.5', '.5', '1e308', '1e400', '-1e400', '1e-400', '99999999999999999999', '0.0000001', '+3'];

function cqlText(r: Rng, depth = 0): string {
  if (depth < 4 && r.chance(0.35)) {
    switch (r.int(4)) {
      case 0: return `${cqlText(r, depth + 1)} AND ${cqlText(r, depth + 1)}`;
      case 1: return `${cqlText(r, depth + 1)} OR ${cqlText(r, depth + 1)}`;
      case 2: return `NOT ${cqlText(r, depth + 1)}`;
      default: return `(${cqlText(r, depth + 1)})`;
    }
  }
  const literal = () => r.pick([...STRINGS, ...NUMBERS, 'TRUE', 'FALSE', `DATE('${r.pick(['2024-05-01', '2024-02-30', '0000-01-01', 'x'])}')`, `TIMESTAMP('${r.pick(['2024-05-01T08:00:00Z', '2024-05-01T25:00:00Z', '2024-05-01'])}')`]);
  const operand = () => (r.chance(0.6) ? r.pick(PROPERTIES) : literal());
  const coord = () => `${r.pick([...NUMBERS, '116.6', '35.4'])} ${r.pick([...NUMBERS, '116.6', '35.4'])}${r.chance(0.1) ? ' 5' : ''}`;
  const coords = (n: number, closed: boolean) => {
    const pts = Array.from({ length: n }, coord);
    if (closed && pts.length) pts.push(pts[0]);
    return pts.join(', ');
  };
  const geometry = () => {
    switch (r.int(7)) {
      case 0: return `POINT(${coord()})`;
      case 1: return `LINESTRING(${coords(r.int(4), false)})`;
      case 2: return `POLYGON((${coords(r.int(5), r.chance(0.8))}))`;
      case 3: return `MULTIPOINT(${r.chance(0.5) ? `(${coord()}), (${coord()})` : coords(2, false)})`;
      case 4: return `MULTIPOLYGON(((${coords(3, true)})), ((${coords(3, r.chance(0.5))})))`;
      case 5: return `BBOX(${Array.from({ length: r.pick([3, 4, 5, 6]) }, () => r.pick(NUMBERS)).join(', ')})`;
      default: return r.pick(PROPERTIES);
    }
  };
  switch (r.int(8)) {
    case 0: return `${operand()} ${r.pick(['=', '<>', '!=', '<', '<=', '>', '>=', '==', '=<'])} ${operand()}`;
    case 1: return `${operand()} ${r.pick(['LIKE', 'NOT LIKE', 'ILIKE'])} ${operand()}`;
    case 2: return `${operand()} ${r.pick(['IN', 'NOT IN'])} (${Array.from({ length: 1 + r.int(4) }, operand).join(', ')})`;
    case 3: return `${operand()} ${r.pick(['BETWEEN', 'NOT BETWEEN'])} ${operand()} AND ${operand()}`;
    case 4: return `${operand()} IS ${r.pick(['', 'NOT '])}NULL`;
    case 5: return `${r.pick(['S_INTERSECTS', 'S_DISJOINT', 'S_EQUALS', 'S_TOUCHES', 'S_WITHIN', 'S_OVERLAPS', 'S_CROSSES', 'S_CONTAINS', 'S_NOPE'])}(${geometry()}, ${geometry()})`;
    case 6: return operand();
    default: return `${r.pick(PROPERTIES)} = ${literal()}`;
  }
}

const randomText = (r: Rng, length: number) => Array.from({ length }, () => (r.chance(0.8) ? String.fromCharCode(32 + r.int(95)) : String.fromCharCode(r.int(0x10000)))).join('').replace(/[\ud800-\udfff]/g, '?');

/** Sends a GET and turns the answer into an outcome: a 5xx, a leak or a malformed 4xx is a crash. */
async function http(url: string): Promise<Outcome> {
  const res = await t.app.inject({ method: 'GET', url });
  const leak = /syntax error|at Object\.|node_modules|relation "|\n\s+at \S|pg_catalog/.exec(res.body);
  if (res.statusCode >= 500 || leak) return { kind: 'crash', name: `HTTP ${res.statusCode}`, message: `${leak ? `leak '${leak[0]}' ` : ''}${res.body.slice(0, 200)}`, stack: url.slice(0, 300) };
  if (res.statusCode >= 400) {
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      error = res.json().error;
    } catch {
      // not JSON: reported below
    }
    if (typeof error?.code !== 'string' || typeof error?.message !== 'string') return { kind: 'crash', name: `HTTP ${res.statusCode} shape`, message: res.body.slice(0, 200), stack: url.slice(0, 300) };
    return { kind: 'problem', code: error.code, status: res.statusCode };
  }
  return { kind: 'ok' };
}

/** Runs a synchronous parser in this thread: an ApiProblem is fine, anything else a crash. */
function local(fn: () => unknown): Outcome {
  const started = Date.now();
  try {
    fn();
    return Date.now() - started > HANG_MS ? { kind: 'hang' } : { kind: 'ok' };
  } catch (e) {
    if (e instanceof ApiProblem) return { kind: 'problem', code: e.code, status: e.status };
    const err = e as Error;
    return { kind: 'crash', name: err?.constructor?.name ?? typeof e, message: String(err?.message ?? e).slice(0, 300), stack: String(err?.stack ?? '').split('\n').slice(1, 5).join('\n') };
  }
}

describe('query-string parsers', () => {
  it('CQL2: random grammar-aware and random-byte filters parse, compile and run, or are refused with an ApiProblem', { timeout: TEST_TIMEOUT }, async () => {
    const result = await fuzz<string>('cql2', 7, (r) => {
      const text = cqlText(r);
      const roll = r.next();
      if (roll < 0.55) return { data: text, note: 'grammar' };
      if (roll < 0.85) return { data: mutateText(r, text), note: 'mutated' };
      return { data: randomText(r, r.int(200)), note: 'random' };
    }, async (input) => {
      const parsed = await sandbox.run('cql2', input);
      if (parsed.kind !== 'ok') return parsed;
      // The tree is compiled against the parcels' queryables, then (sometimes) run by the database.
      const compiled = local(() => compileFilter(parsed.value as FilterNode, { queryables: parcelInfo.queryables, param: () => '$1', filterCrs: STORAGE_CRS, queryablesUrl: '/q', source: String(input) }));
      if (compiled.kind !== 'ok') return compiled;
      return http(`/ogc/collections/parcels/items?limit=2&filter=${encodeURIComponent(String(input))}${(String(input).length % 3 === 0) ? '&filter-crs=EPSG:4548' : ''}`);
    });
    expectNoFailures(result);
  });

  const VALUES = ['', '0', '-1', '1', '10', '10001', '1e3', '0x10', '9007199254740993', 'NaN', 'Infinity', ',', ',,,', '1,2,3,4', '116,34,117,36', '117,36,116,34', '116,34,117,36,0,1', 'EPSG:4326', 'EPSG:4548', 'EPSG:3857', 'EPSG:9999', 'http://www.opengis.net/def/crs/EPSG/0/4326', 'http://www.opengis.net/def/crs/OGC/1.3/CRS84', '[EPSG:4326]', '[EPSG:4326', 'urn:ogc:def:crs:EPSG::4490', 'CRS84', '2024-01-01', '2024-01-01/2024-12-31', '2024-01-01T00:00:00Z/..', '../..', '/', '//', '2024-02-30', '2024-12-31/2024-01-01', '9999-12-31T23:59:59Z', '0000-01-01', 'cql2-text', 'cql-text', 'cql2-json', 'json', 'html', 'geojson', 'hits', 'results', 'idle', 'idle,available', 'M1', 'M', 'P01', 'code', '-code', 'area_m2', "code = 'x'", "' OR 1=1 --", '\u0000', '%', '中文', 'x'.repeat(3000)];
  const forgedCursor = (r: Rng) => Buffer.from(JSON.stringify(r.pick<unknown>([{ c: 'parcels', a: 'x' }, { c: 'parcels', b: 1 }, { c: 'parcels', a: null }, { c: 'parcels', a: '\u0000' }, { s: 'code', k: ['a', 'b'] }, { s: 'area_m2', k: [1e308, '\u0000'] }, { s: 'code', k: [{}, []] }, [], null, 1]))).toString('base64url');

  function randomQuery(r: Rng, names: string[]): Record<string, string | string[]> {
    const q: Record<string, string | string[]> = {};
    for (let i = 0, n = r.int(5); i < n; i++) {
      const name = r.chance(0.9) ? r.pick(names) : randomText(r, 1 + r.int(12));
      const value = () => {
        const roll = r.next();
        if (roll < 0.6) return r.pick(VALUES);
        if (roll < 0.75) return cqlText(r);
        if (roll < 0.85) return forgedCursor(r);
        if (roll < 0.95) return mutateText(r, r.pick(VALUES));
        return randomText(r, r.int(40));
      };
      q[name] = r.chance(0.1) ? [value(), value()] : value();
    }
    return q;
  }

  const toUrl = (path: string, query: Record<string, string | string[]>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const x of [v].flat()) params.append(k, x);
    return `${path}?${params}`;
  };

  it('OGC items parameters: random queries are parsed or refused with an ApiProblem, and never 5xx over HTTP', { timeout: TEST_TIMEOUT }, async () => {
    const names = ['limit', 'offset', 'cursor', 'bbox', 'bbox-crs', 'crs', 'datetime', 'filter', 'filter-lang', 'filter-crs', 'f', 'resultType', 'sortby', ...Object.keys(parcels.filters)];
    const result = await fuzz<string>('ogc-params', 8, (r) => ({ data: JSON.stringify(randomQuery(r, names)) }), async (input) => {
      const query = JSON.parse(String(input)) as Record<string, string | string[]>;
      const parsed = local(() => parseItemsQuery(query, parcelInfo, '/q'));
      if (parsed.kind === 'crash' || parsed.kind === 'hang') return parsed;
      // Half the parsed ones (and a few refused ones) are also sent: the database must cope with what the parser let through.
      if (parsed.kind === 'problem' && String(input).length % 5 !== 0) return parsed;
      return http(toUrl('/ogc/collections/parcels/items', query));
    });
    expectNoFailures(result);
  });

  it('REST list: random parameter names and values on /api/parcels are answered, never 5xx', { timeout: TEST_TIMEOUT }, async () => {
    const names = ['limit', 'cursor', 'sort', 'bbox', ...Object.keys(parcels.filters)];
    const result = await fuzz<string>('rest-parcels', 9, (r) => {
      if (r.chance(0.1)) {
        // A raw query string: stray percent signs, broken UTF-8, repeated separators.
        return { data: Array.from({ length: 1 + r.int(6) }, () => `${r.pick(names)}${r.pick(['=', '==', '', '=%', '=%ZZ', '=%E2%82', '=%00', '=%FF'])}${encodeURIComponent(r.pick(VALUES))}`).join(r.pick(['&', '&&', ';'])), note: 'raw' };
      }
      return { data: toUrl('', randomQuery(r, names)).slice(1) };
    }, (input) => http(`/api/parcels?${input}`));
    expectNoFailures(result);
  });
});
