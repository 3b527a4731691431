import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

/** The migration files, `NNN_name.sql`, in the order they apply. */
export function listMigrations(dir = migrationsDir): { name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(dir + name, 'utf8') }));
}

/**
 * Applies the migrations not yet recorded in `schema_migration`, each in its own transaction, and
 * returns the names it applied. Safe to run at every start and from two servers at once (an
 * advisory lock makes the second wait, then find nothing left to do).
 */
export async function migrate(db: Db, dir = migrationsDir): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: string[] = [];
  for (const m of listMigrations(dir)) {
    const done = await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(7411)');
      // A migration may rebuild kept tables over the whole zone: no statement time limit here.
      await q.query('SET LOCAL statement_timeout = 0');
      const seen = await q.query('SELECT 1 FROM schema_migration WHERE name = $1', [m.name]);
      if (seen.rows.length > 0) return false;
      // Statements without parameters: a migration is a script of several statements.
      for (const statement of splitSqlScript(m.sql)) await q.query(statement);
      await q.query('INSERT INTO schema_migration (name) VALUES ($1)', [m.name]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}

/**
 * Splits a script on the semicolons that end statements, leaving those inside quotes,
 * dollar-quoted bodies and comments alone (the extended protocol takes one statement at a time).
 */
export function splitSqlScript(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (ch === "'") {
      i = sql.indexOf("'", i + 1);
      while (i >= 0 && sql[i + 1] === "'") i = sql.indexOf("'", i + 2);
      i = i < 0 ? sql.length : i + 1;
    } else if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? sql.length : end + tag.length;
      } else i++;
    } else if (ch === ';') {
      const stmt = sql.slice(start, i).trim();
      if (stmt && !/^(--[^\n]*\n?\s*)*$/.test(stmt)) out.push(stmt);
      start = ++i;
    } else i++;
  }
  const tail = sql.slice(start).trim();
  if (tail && !/^(--[^\n]*\n?\s*)*$/.test(tail)) out.push(tail);
  return out;
}
