import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError } from '@parkatlas/schema';
import type { CollectionContext } from '../collections/routes.ts';
import { ApiProblem, notFound } from '../errors.ts';
import { collections } from '../routes/collections.ts';
import { resolveCrs } from './crs.ts';
import { createJob, getJob, JobQueue, type ImportMode } from './jobs.ts';
import { parseUpload } from './parse/index.ts';

export interface ImportOptions {
  /** Largest uploaded file, bytes (default 512 MB). */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/** Collections an import can feed: those whose items have a business code as id. */
const importable = collections.filter((d) => d.idKind === 'text');
const importableNames = importable.map((d) => d.name) as [string, ...string[]];

const form = z.strictObject({
  collection: z.enum(importableNames).describe('The collection the rows go to'),
  mode: z.enum(['dry-run', 'commit']).default('dry-run').describe('dry-run: validate and report the diff, write nothing; commit: write all rows or none'),
  crs: z.string().max(200).optional().describe('EPSG:4326 (default), EPSG:4490, EPSG:4548, EPSG:4527, EPSG:4549 or GCJ-02; empty: what the file declares'),
  department: z.string().min(1).max(500).optional().describe('Department supplying the data; stored on every row'),
  verified_at: z.iso.date().optional().describe('Day the department verified the data (default today)'),
});

const problem = z.object({ row: z.number(), field: z.string().optional(), code: z.string(), message: z.string() });
const jobSchema = z.object({
  id: z.string(),
  collection: z.string(),
  mode: z.enum(['dry-run', 'commit']),
  format: z.string(),
  crs: z.string(),
  file_name: z.string().nullable(),
  department: z.string().nullable(),
  verified_at: z.string().nullable(),
  actor: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  progress: z.object({ done: z.number(), total: z.number(), phase: z.string() }).describe('Rows processed of rows total in the current phase'),
  counts: z.record(z.string(), z.unknown()).describe('rows, valid, invalid, problems, added, changed, unchanged, absent, created, updated'),
  problems: z.array(problem).describe('Row by row, at most 10,000; problem_count has them all'),
  problem_count: z.number(),
  diff: z.unknown().describe('added, changed (field by field), unchanged, absent from the file'),
  error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});

const today = () => new Date().toISOString().slice(0, 10);

/** POST /api/imports (multipart) and GET /api/imports/{id}. */
export async function registerImports(app: FastifyInstance, ctx: CollectionContext, options: ImportOptions = {}): Promise<void> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  const queue = new JobQueue(ctx.db, ctx.extent, app.log);
  app.addHook('onClose', () => queue.idle());
  // Jobs run in the process that accepted them: one still open at start was cut off by a restart
  // (its transaction rolled back with the process), so its report says so instead of running forever.
  // This assumes one API process per database, as deployed (docker-compose, server.ts).
  app.addHook('onReady', async () => {
    await ctx.db.query(
      `UPDATE import_job SET status = 'failed', finished_at = now(),
              error = 'the server stopped before this import finished; nothing was written: import the file again'
       WHERE status IN ('queued', 'running')`,
    );
    await ctx.db.query(`DELETE FROM import_geometry g WHERE NOT EXISTS (SELECT 1 FROM import_job j WHERE j.id = g.job AND j.status IN ('queued', 'running'))`);
  });
  // Encapsulated: multipart parsing exists for this route only.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 64 * 1024 } });
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post('/api/imports', {
      schema: {
        tags: ['imports'],
        summary: 'Start a bulk import (multipart: file, collection, mode, crs, department, verified_at)',
        description: 'GeoJSON, CSV (WKT or lon/lat columns), zipped Shapefile or GeoPackage. Answers 202 with the job id; GET /api/imports/{id} reports it.',
        response: { 202: z.object({ id: z.string() }), 400: apiError, 401: apiError, 403: apiError, 413: apiError, 415: apiError, 422: apiError },
      },
    }, async (req, reply) => {
      // An import upserts rows anywhere in the zone, and its diff shows every field: not for staff limited to some parks.
      if (req.identity.parks !== null) throw new ApiProblem(403, 'outside_scope', `${req.identity.actor} is limited to parks ${req.identity.parks.join(', ')}; imports are zone-wide`, 'collection');
      if (!req.isMultipart()) throw new ApiProblem(415, 'unsupported_media_type', 'send multipart/form-data with a file and the form fields', 'content-type');
      const { file, fileName, fields } = await readForm(req, maxBytes);
      const parsedForm = form.safeParse(fields);
      if (!parsedForm.success) {
        const issue = parsedForm.error.issues[0];
        const field = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
        throw new ApiProblem(400, 'invalid_form', `${field ? `${field}: ` : ''}${issue.message}`, field);
      }
      if (!file) throw new ApiProblem(400, 'missing_file', 'the form has no file: send it as the `file` field', 'file');
      const f = parsedForm.data;
      const def = importable.find((d) => d.name === f.collection)!;
      const parsed = parseUpload(file, fileName, def.name);
      const crs = resolveCrs(f.crs, parsed.declaredSrid);
      const request = {
        def,
        file: parsed,
        fileName,
        crs,
        mode: f.mode as ImportMode,
        provenance: { department: f.department, verified_at: f.verified_at ?? today() },
        actor: ctx.actorOf(req),
      };
      const id = await createJob(ctx.db, request);
      queue.enqueue(id, request);
      return reply.status(202).header('location', `/api/imports/${id}`).send({ id });
    });
  });

  app.withTypeProvider<ZodTypeProvider>().get('/api/imports/:id', {
    // A job shows the rows it read and the diff, sensitive fields included: importers only.
    config: { access: 'write' },
    schema: {
      tags: ['imports'],
      summary: 'An import job: status, progress, counts, problems and diff',
      params: z.strictObject({ id: z.string().max(64) }),
      response: { 200: jobSchema, 404: apiError },
    },
  }, async (req) => {
    const job = await getJob(ctx.db, req.params.id);
    if (!job) throw notFound('import', req.params.id);
    const { rows_done, rows_total, ...rest } = job;
    return { ...rest, progress: { done: rows_done, total: rows_total, phase: String(job.counts.phase ?? job.status) } };
  });
}

/** The upload and the text fields, whatever their order; an oversized file is a 413 naming the limit. */
async function readForm(req: FastifyRequest, maxBytes: number): Promise<{ file?: Buffer; fileName: string; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  let fileName = '';
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw new ApiProblem(400, 'invalid_form', `unexpected file field '${part.fieldname}': send the upload as 'file'`, part.fieldname);
        }
        file = await part.toBuffer();
        fileName = part.filename ?? '';
      } else if (typeof part.value === 'string' && part.value !== '') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new ApiProblem(413, 'file_too_large', `the file is larger than the import limit of ${formatBytes(maxBytes)}: split it, or ask for the limit (PARKATLAS_IMPORT_MAX_MB) to be raised`, 'file');
    }
    if (code === 'FST_FILES_LIMIT') throw new ApiProblem(400, 'invalid_form', 'send one file per import', 'file');
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new ApiProblem(400, 'invalid_form', 'the form has too many fields', 'body');
    throw e;
  }
  return { file, fileName, fields };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} kB`;
}
