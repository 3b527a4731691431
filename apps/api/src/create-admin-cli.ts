import { createInterface } from 'node:readline/promises';
import { migrate, openDb, redactUrl } from '@parkatlas/db';
import { createUser, getUser, updateUser } from './auth/users.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ApiProblem } from './errors.ts';

/**
 * npm run create-admin -- USERNAME
 *
 * Creates an admin (or gives an existing user the admin role and a new password) in the database
 * the server would use. The password is read from PARKATLAS_ADMIN_PASSWORD or the first line of
 * stdin, never from the command line (where `ps` and shell history would keep it). The embedded
 * database is one process's: stop the server first.
 */
async function main(): Promise<void> {
  const username = process.argv[2];
  if (!username) {
    console.error('usage: npm run create-admin -- USERNAME   (password from PARKATLAS_ADMIN_PASSWORD or stdin)');
    process.exit(2);
  }
  const password = process.env.PARKATLAS_ADMIN_PASSWORD ?? (await readLine(`password for ${username}: `));
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const existing = await getUser(db, username);
    if (existing) await updateUser(db, username, { role: 'admin', password, disabled: false });
    else await createUser(db, { username, password, role: 'admin' });
    const where = config.databaseUrl ? redactUrl(config.databaseUrl) : `the embedded database in ${config.dataDir}`;
    console.log(`${existing ? 'made' : 'created'} admin '${username}' in ${where}`);
  } finally {
    await db.close();
  }
}

async function readLine(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  if (process.stdin.isTTY) process.stderr.write(prompt);
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

main().catch((e) => {
  console.error(e instanceof ConfigError || e instanceof ApiProblem ? e.message : e);
  process.exit(1);
});
