/**
 * Import jobs: kept in `import_job` so a report outlives the request and the process's memory, run
 * in this process one at a time (a 2-core machine gains nothing from two at once, and PGlite
 * serializes them anyway). Progress is rows done of rows total, per phase.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '@parkatlas/db';
import type { Extent } from '../collections/checks.ts';
import type { CollectionDef } from '../collections/definition.ts';
import { problemFromDbError } from '../errors.ts';
import { commitRows } from './commit.ts';
import type { ImportCrs } from './crs.ts';
import type { ParsedFile } from './parse/types.ts';
import { prepareRows, type Problem, type Provenance } from './rows.ts';
import { checkReferences, diffRows, runDomainChecks, validateGeometries } from './validate.ts';

export type ImportMode = 'dry-run' | 'commit';

export interface ImportRequest {
  def: CollectionDef;
  file: ParsedFile;
  fileName: string;
  crs: ImportCrs;
  mode: ImportMode;
  provenance: Provenance;
  actor: string;
}

/** Problems kept in a job's report; the count is always complete. */
export const PROBLEM_LIST_LIMIT = 10_000;

export async function createJob(db: Db, req: ImportRequest): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO import_job (id, collection, mode, format, crs, file_name, department, verified_at, actor, rows_total, counts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)`,
    [id, req.def.name, req.mode, req.file.format, req.crs.name, req.fileName.slice(0, 255), req.provenance.department ?? null,
      req.provenance.verified_at, req.actor, req.file.rows.length, JSON.stringify({ rows: req.file.rows.length, phase: 'queued' })],
  );
  return id;
}

async function progress(db: Db, id: string, phase: string, done: number): Promise<void> {
  await db.query(`UPDATE import_job SET rows_done = $2, counts = counts || jsonb_build_object('phase', $3::text) WHERE id = $1`, [id, done, phase]);
}

async function finish(db: Db, id: string, status: 'succeeded' | 'failed', counts: Record<string, unknown>, problems: Problem[], diff: unknown, error?: string): Promise<void> {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  await db.query(
    `UPDATE import_job SET status = $2, counts = counts || $3::jsonb, problems = $4::jsonb, problem_count = $5, diff = $6::jsonb,
            error = $7, finished_at = now(), rows_done = CASE WHEN $2 = 'succeeded' THEN rows_total ELSE rows_done END
     WHERE id = $1`,
    [id, status, JSON.stringify(counts), JSON.stringify(sorted.slice(0, PROBLEM_LIST_LIMIT)), problems.length, diff === undefined ? null : JSON.stringify(diff), error ?? null],
  );
}

/** Validates every row (both modes), reports the diff, and in commit mode writes all or nothing. */
export async function runJob(db: Db, id: string, req: ImportRequest, extent: Extent): Promise<void> {
  const { def } = req;
  // Milliseconds per phase, reported with the counts so a slow import says where its time went.
  const ms: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    ms[phase] = Math.round(now - t0);
    t0 = now;
  };
  await db.query(`UPDATE import_job SET status = 'running' WHERE id = $1`, [id]);
  await progress(db, id, 'validating', 0);
  const { rows, problems, ignoredFields, missingColumns } = prepareRows(def, req.file, { gcj02: req.crs.gcj02, provenance: req.provenance });
  lap('prepare');
  const { sameGeometry } = def.geometry
    ? await validateGeometries(db, id, def, rows, req.crs.srid, extent, problems, (done) => progress(db, id, 'validating', done))
    : { sameGeometry: new Map<number, boolean>() };
  lap('geometry');
  // Domain checks first: a malformed USCC is reported as such, not as an unknown enterprise.
  await runDomainChecks(db, def, rows, problems);
  await checkReferences(db, def, rows, problems);
  lap('checks');
  const diff = await diffRows(db, def, rows, sameGeometry, problems, missingColumns);
  lap('diff');
  const badRows = new Set(problems.map((p) => p.row)).size;
  const counts: Record<string, unknown> = {
    rows: rows.length,
    valid: rows.length - badRows,
    invalid: badRows,
    problems: problems.length,
    ...diff.counts,
    ignored_fields: ignoredFields,
    created: 0,
    updated: 0,
    ms,
  };
  if (req.mode === 'dry-run') {
    await finish(db, id, 'succeeded', { ...counts, phase: 'done' }, problems, diff);
    return;
  }
  if (problems.length > 0) {
    await finish(db, id, 'failed', { ...counts, phase: 'refused' }, problems, diff, `${badRows} of ${rows.length} rows have problems: nothing was written; fix them and import again`);
    return;
  }
  await progress(db, id, 'writing', 0);
  let written: { created: number; updated: number };
  try {
    written = await db.tx((q) => commitRows(q, id, def, rows, req.actor, async () => undefined, ms));
  } catch (e) {
    // A rule only the database knows (a constraint) refused a row: the transaction rolled back.
    const problem = problemFromDbError(e);
    if (!problem) throw e;
    await finish(db, id, 'failed', { ...counts, phase: 'refused' }, problems, diff, `the database refused the import, nothing was written: ${problem.message}`);
    return;
  }
  lap('write');
  t0 = performance.now();
  await finish(db, id, 'succeeded', { ...counts, ...written, phase: 'done' }, problems, diff);
}

/** The geometries a job staged while validating (validate.ts), once it has finished with them. */
export async function dropStagedGeometries(db: Db, id: string): Promise<void> {
  await db.query('DELETE FROM import_geometry WHERE job = $1', [id]);
}

/** One job at a time, in arrival order; app.close() waits for the one running. */
export class JobQueue {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly extent: Extent,
    private readonly log: { error: (obj: object, msg: string) => void },
  ) {}

  enqueue(id: string, req: ImportRequest): void {
    this.chain = this.chain.then(async () => {
      try {
        await runJob(this.db, id, req, this.extent);
      } catch (e) {
        this.log.error({ err: e, job: id }, 'import job failed');
        await finish(this.db, id, 'failed', { phase: 'failed' }, [], undefined, `the import stopped on an internal error; nothing was written (${(e as Error).message.slice(0, 300)})`).catch(() => undefined);
      } finally {
        await dropStagedGeometries(this.db, id).catch((e) => this.log.error({ err: e, job: id }, 'import job: staged geometries not removed'));
      }
    });
  }

  idle(): Promise<void> {
    return this.chain;
  }
}

export interface JobReport {
  id: string;
  collection: string;
  mode: ImportMode;
  format: string;
  crs: string;
  file_name: string | null;
  department: string | null;
  verified_at: string | null;
  actor: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  rows_done: number;
  rows_total: number;
  counts: Record<string, unknown>;
  problems: Problem[];
  problem_count: number;
  diff: unknown;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export async function getJob(db: Db, id: string): Promise<JobReport | undefined> {
  const r = await db.query<JobReport>(
    `SELECT id, collection, mode, format, crs, file_name, department, verified_at::text AS verified_at, actor, status, rows_done, rows_total,
            counts, problems, problem_count, diff, error, to_jsonb(created_at) #>> '{}' AS created_at, to_jsonb(finished_at) #>> '{}' AS finished_at
     FROM import_job WHERE id = $1`,
    [id],
  );
  return r.rows[0];
}
