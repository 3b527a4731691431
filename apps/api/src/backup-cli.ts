import { BackupError, backupDatabase, migrate, openDb, redactUrl, restoreDatabase } from '@parkatlas/db';
import { ConfigError, loadConfig } from './config.ts';

/**
 * npm run backup -- FILE    writes the whole database to FILE (gzipped JSON lines)
 * npm run restore -- FILE   replaces the database's contents with FILE's, all or nothing
 *
 * The database is the one the server would use (DATABASE_URL, else the embedded folder
 * PARKATLAS_DATA_DIR). A backup of either driver restores into either. The embedded database is one
 * process's: stop the server before running these against its folder.
 */
async function main(): Promise<void> {
  const [command, file] = process.argv.slice(2);
  if (!['backup', 'restore'].includes(command ?? '') || !file) {
    console.error('usage: npm run backup -- FILE  |  npm run restore -- FILE');
    process.exit(2);
  }
  const config = loadConfig();
  const where = config.databaseUrl ? redactUrl(config.databaseUrl) : `the embedded database in ${config.dataDir}`;
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (command === 'backup') {
      const report = await backupDatabase(db, file);
      const rows = report.tables.reduce((s, t) => s + t.rows, 0);
      console.log(`backed up ${where}: ${report.tables.length} tables, ${rows} rows → ${file} (${report.ms} ms)`);
    } else {
      // A new, empty database gets the schema first; the backup must match it.
      await migrate(db);
      const report = await restoreDatabase(db, file);
      const rows = report.tables.reduce((s, t) => s + t.rows, 0);
      console.log(`restored ${file} into ${where}: ${report.tables.length} tables, ${rows} rows (${report.ms} ms)`);
    }
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError || e instanceof BackupError ? e.message : e);
  process.exit(1);
});
