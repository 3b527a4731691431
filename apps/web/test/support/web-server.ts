import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { buildApp, type App } from '../../../api/src/app.ts';
import { openTestDb, type TestDb } from '../../../api/test/support/test-db.ts';

export interface WebServer {
  app: App;
  db: TestDb['db'];
  origin: string;
  close: () => Promise<void>;
}

/** The API serving the built map app, listening on an ephemeral loopback port over a private copy of the test zone. */
export async function startWebServer(webDir: string): Promise<WebServer> {
  const testDb = await openTestDb(inject('templateDb'));
  const app = await buildApp({ db: testDb.db, webDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    db: testDb.db,
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await testDb.close();
    },
  };
}
