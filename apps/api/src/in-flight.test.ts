import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { expect, it } from 'vitest';
import { HandlersInFlight } from './in-flight.ts';

it('counts a handler whose client hung up until it ends, so shutdown can wait for it', async () => {
  const handlers = new HandlersInFlight();
  const app = Fastify();
  handlers.track(app);
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  let entered!: () => void;
  const started = new Promise<void>((r) => (entered = r));
  app.get('/slow', async () => {
    entered();
    await finished;
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const req = request(`http://127.0.0.1:${port}/slow`);
  req.on('error', () => {});
  req.end();
  await started;
  req.destroy();
  // Fastify considers the connection done; the handler is still running.
  await app.close();
  expect(handlers.running).toBe(1);
  expect(await handlers.settled(50)).toBe(false);
  const settled = handlers.settled(5000);
  finish();
  expect(await settled).toBe(true);
  expect(handlers.running).toBe(0);
});
