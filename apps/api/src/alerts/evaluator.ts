import type { Db } from '@parkatlas/db';
import { evaluateSavedSearches, recordWebhookStatus, type Evaluated } from './repository.ts';

/** How long a webhook may take before it is given up (fire-and-forget: nothing waits for it). */
export const WEBHOOK_TIMEOUT_MS = 3000;

/**
 * Runs evaluations one after another (a write's automatic one, and any asked for), and posts each new
 * batch of alerts to its saved search's webhook without waiting for the answer. `idle()` resolves once
 * every evaluation asked for so far is done, so the inbox can reflect the writes made before it.
 */
export class AlertEvaluator {
  private chain: Promise<unknown> = Promise.resolve();
  private pending = false;
  private readonly deliveries = new Set<Promise<void>>();

  constructor(private readonly db: Db, private readonly log: (msg: string, err?: unknown) => void) {}

  /** Evaluates now (after the ones queued before) and returns what it found. */
  evaluate(ids?: number[]): Promise<Evaluated[]> {
    const run = this.chain.then(() => evaluateSavedSearches(this.db, ids));
    this.chain = run.then((results) => this.deliver(results), () => undefined);
    return run;
  }

  /** After a write that may free or fit out a space: evaluate every saved search, once for a burst of writes. */
  schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.chain = this.chain.then(async () => {
      this.pending = false;
      const any = await this.db.query('SELECT 1 FROM saved_search LIMIT 1');
      if (!any.rows.length) return;
      this.deliver(await evaluateSavedSearches(this.db));
    }).catch((e) => this.log('saved-search evaluation failed', e));
  }

  async idle(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  /** Waits for the queued evaluations and the webhooks in flight (at app close). */
  async close(): Promise<void> {
    await this.idle();
    await Promise.allSettled([...this.deliveries]);
  }

  private deliver(results: Evaluated[]): void {
    for (const { search, alerts } of results) {
      if (!search.webhook_url || alerts.length === 0) continue;
      const body = JSON.stringify({ saved_search: { id: search.id, name: search.name, owner: search.owner }, alerts });
      const ids = alerts.map((a) => a.id);
      const delivery = fetch(search.webhook_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'ParkAtlas-alerts' },
        body,
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      })
        .then((res) => `delivered: HTTP ${res.status}`, (e: Error) => `failed: ${e.name === 'TimeoutError' ? `no answer in ${WEBHOOK_TIMEOUT_MS} ms` : e.message}`)
        .then((status) => recordWebhookStatus(this.db, ids, status))
        .catch((e) => this.log('recording a webhook status failed', e));
      this.deliveries.add(delivery);
      void delivery.finally(() => this.deliveries.delete(delivery));
    }
  }
}
