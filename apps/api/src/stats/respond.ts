import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { ApiProblem } from '../errors.ts';
import { sendCsv } from './csv.ts';

/** The CSV columns of a table: the keys of its item schema, in the order the schema lists them. */
export const columnsOf = (item: z.ZodObject) => Object.keys(item.shape);

/**
 * Answers a table: for format=csv the rows as a CSV file named `name`, otherwise the JSON body (which
 * the route's response schema checks and serializes).
 */
export function respond<B>(reply: FastifyReply, format: 'json' | 'csv', csv: { name: string; item: z.ZodObject; rows: readonly object[] }, body: () => B | Promise<B>) {
  if (format === 'csv') return sendCsv(reply, csv.name, columnsOf(csv.item), csv.rows as Record<string, unknown>[]);
  return body();
}

/** Page cursors are opaque: the last key of the page, wrapped so clients do not build them. */
export const encodeCursor = (key: string) => Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof c.after === 'string') return c.after;
  } catch {
    // fall through to the error below
  }
  throw new ApiProblem(400, 'invalid_cursor', 'cursor is not one this list returned: start again without it', 'cursor');
}
