export type { Db, DbError, DriverKind, Queryable, QueryResult } from './db.ts';
export { isDbError } from './db.ts';
export { openEmbedded } from './embedded.ts';
export { openPostgres } from './postgres.ts';
export { migrate, listMigrations, splitSqlScript } from './migrate.ts';
export { openDb, postgisVersion, redactUrl } from './open.ts';
export { backupDatabase, BackupError, quoteIdent, restoreDatabase, tableFingerprints, type BackupReport } from './backup.ts';
