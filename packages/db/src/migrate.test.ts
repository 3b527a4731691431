import { describe, expect, it } from 'vitest';
import { listMigrations, splitSqlScript } from './migrate.ts';

describe('splitSqlScript', () => {
  it('splits on statement-ending semicolons only', () => {
    const sql = `CREATE TABLE a (x text DEFAULT ';'); -- a comment; with a semicolon
      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
      INSERT INTO a VALUES ('it''s; fine')`;
    expect(splitSqlScript(sql)).toEqual([
      `CREATE TABLE a (x text DEFAULT ';')`,
      `-- a comment; with a semicolon\n      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$`,
      `INSERT INTO a VALUES ('it''s; fine')`,
    ]);
  });

  it('drops empty statements and trailing comments', () => {
    expect(splitSqlScript('SELECT 1;;\n-- end\n')).toEqual(['SELECT 1']);
  });
});

describe('listMigrations', () => {
  it('lists NNN_name.sql files in order', () => {
    const names = listMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect([...names].sort()).toEqual(names);
    expect(names[0]).toBe('001_extensions_and_codes.sql');
  });
});
