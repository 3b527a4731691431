import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDbError } from '@parkatlas/db';

/** An error meant for the client: status, machine-readable code, message, and the field at fault. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new ApiProblem(404, 'not_found', `${what} '${id}' does not exist`);

/**
 * Turns a database error raised by a write into the client's fault it stands for. The write's
 * transaction has already rolled back, so nothing was changed.
 */
export function problemFromDbError(e: unknown): ApiProblem | undefined {
  if (!isDbError(e)) return undefined;
  const key = /Key \(([^)]+)\)=\(([^)]*)\)/.exec(e.detail ?? '');
  switch (e.code) {
    case '23503': {
      // Key (land_use)=(X9) is not present in table "land_use_class" — or, on delete, still referenced.
      const table = /table "([^"]+)"/.exec(e.detail ?? '')?.[1];
      if (/still referenced/.test(e.detail ?? '')) {
        return new ApiProblem(409, 'in_use', `still referenced by a row of '${table}': delete or move those first`);
      }
      const field = key?.[1];
      return new ApiProblem(422, 'unknown_reference', `${field} '${key?.[2]}' does not exist in ${table}`, field);
    }
    case '23505':
      return new ApiProblem(409, 'already_exists', `${key?.[1] ?? 'id'} '${key?.[2] ?? ''}' already exists`, key?.[1]);
    case '23P01':
      return new ApiProblem(409, 'overlapping_dates', `the dates overlap another row for the same ${key?.[1]?.split(',')[0] ?? 'item'} (${e.constraint})`, 'start_date');
    case '23514':
      return new ApiProblem(422, 'constraint_violation', `violates the rule ${e.constraint ?? ''}`.trim());
    case '23502':
      return new ApiProblem(422, 'missing_value', `${e.column} must have a value`, e.column);
    case '22021':
      // A NUL (U+0000) in a text value, from a query parameter, cursor or body: PostgreSQL text cannot hold it.
      return new ApiProblem(422, 'invalid_value', 'a text value holds the NUL character (U+0000), which cannot be stored or searched for');
    case '22025':
      // A LIKE pattern ending in its escape character (a backslash), e.g. from a CQL2 filter comparing with a property.
      return new ApiProblem(422, 'invalid_value', 'a LIKE pattern must not end with the escape character \\');
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new ApiProblem(422, 'invalid_value', e.message);
    case '57014':
      // statement_timeout: the request asked for more than the server allows itself per statement.
      return new ApiProblem(503, 'query_timeout', 'the database took longer than the statement time limit (PARKATLAS_STATEMENT_TIMEOUT_MS); narrow the request');
    case 'XX000':
      // PostGIS reports unparsable geometry as an internal error.
      return new ApiProblem(422, 'invalid_geometry', e.message, 'geometry');
  }
  return undefined;
}

function validationField(err: FastifyError & { validationContext?: string }): { field?: string; message: string } {
  if (!hasZodFastifySchemaValidationErrors(err)) return { message: err.message };
  const first = err.validation[0];
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const keys = (first.params as { keys?: string[] }).keys;
  if (first.keyword === 'unrecognized_keys' && keys?.length) {
    const field: string = path ? `${path}.${keys[0]}` : keys[0];
    const where = err.validationContext === 'querystring' ? 'query parameter' : 'field';
    return { field, message: `unknown ${where} '${keys.join("', '")}'` };
  }
  const field = path || undefined;
  const message = first.message ?? 'is not valid';
  return { field, message: field ? `${field}: ${message}` : message };
}

/** One error shape for every route: { error: { code, message, field? } }. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { validationContext?: string }, req, reply) => {
    let problem: ApiProblem | undefined;
    if (err instanceof ApiProblem) problem = err;
    else if (err.validation) {
      const { field, message } = validationField(err);
      const code = err.validationContext === 'querystring' ? 'invalid_query' : err.validationContext === 'headers' ? 'invalid_header' : 'invalid_body';
      problem = new ApiProblem(400, code, message, field);
    } else if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
      problem = new ApiProblem(400, 'malformed_json', `the body is not valid JSON: ${err.message}`, 'body');
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      problem = new ApiProblem(413, 'payload_too_large', err.message, 'body');
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      problem = new ApiProblem(415, 'unsupported_media_type', err.message, 'content-type');
    } else {
      problem = problemFromDbError(err);
      if (!problem && err.statusCode && err.statusCode < 500) problem = new ApiProblem(err.statusCode, (err.code ?? 'bad_request').toLowerCase(), err.message);
    }
    if (problem) {
      return reply.status(problem.status).send({ error: { code: problem.code, message: problem.message, field: problem.field } });
    }
    req.log.error({ err, method: req.method, url: req.url, params: req.params }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal server error' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );
}
