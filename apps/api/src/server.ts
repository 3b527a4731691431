import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { migrate, openDb, redactUrl } from '@parkatlas/db';
import { generateDemoZone, isDatabaseEmpty, loadDemoZone } from '@parkatlas/seeds';
import { buildApp } from './app.ts';
import { createFirstAdmin } from './auth/users.ts';
import { HandlersInFlight } from './in-flight.ts';
import { ConfigError, loadConfig } from './config.ts';

const defaultWebDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Reads the environment, opens and migrates the database, loads the demo zone once, and listens. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const where = config.databaseUrl ? redactUrl(config.databaseUrl) : `embedded database in ${config.dataDir}`;
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.poolMax,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const lifecycle = { draining: false };
  const handlers = new HandlersInFlight();
  const applied = await migrate(db);
  const app = await buildApp({
    db,
    extent: config.extent,
    webDir: config.webDir ?? defaultWebDir,
    imports: { maxFileBytes: config.importMaxBytes },
    requestTimeoutMs: config.requestTimeoutMs,
    corsOrigins: config.corsOrigins,
    alertsEveryMs: config.alertsEveryMs,
    lifecycle,
    handlers,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  app.log.info({ database: where, migrations: applied }, 'database ready');
  const adminUser = process.env.PARKATLAS_ADMIN_USER ?? 'admin';
  const admin = await createFirstAdmin(db, adminUser, process.env.PARKATLAS_ADMIN_PASSWORD);
  if (admin === 'created') app.log.info({ username: adminUser }, 'first admin created from PARKATLAS_ADMIN_PASSWORD');
  if (admin === 'no-password') app.log.warn('no admin yet: set PARKATLAS_ADMIN_PASSWORD (12+ characters) and restart, or run npm run create-admin -- USERNAME');
  if (config.demo && (await isDatabaseEmpty(db))) {
    const t = Date.now();
    const report = await loadDemoZone(db, generateDemoZone());
    app.log.info({ ms: Date.now() - t, rows: Object.fromEntries(report.map((r) => [r.table, r.rows])) }, 'demo zone loaded');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    lifecycle.draining = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    // close() stops accepting connections and waits for requests in flight; handlers whose client
    // hung up may still be running, and the database must outlive them.
    await app.close();
    if (!(await handlers.settled(10_000))) app.log.warn({ running: handlers.running }, 'closing the database under handlers still running after 10 s');
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  // The port actually bound (PORT=0 asks the system for a free one).
  const { port } = app.server.address() as AddressInfo;
  app.log.info({ ms: Date.now() - started, url: `http://${config.host}:${port}/` }, 'ParkAtlas is serving');
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
