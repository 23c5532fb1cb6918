import { randomBytes } from 'node:crypto';
import type { Clock, NewWebhookDelivery, Stores } from '@trieste/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../keys/master-key.js';
import type { StoresHarness } from './stores-contract.test-util.js';

const T0 = 1_750_000_000;
const id = () => randomBytes(16).toString('base64url');
const claimOptions = (leaseSeconds = 60, limit = 10) => ({ limit, leaseSeconds, lease: id() });

function delivery(overrides: Partial<NewWebhookDelivery> = {}): NewWebhookDelivery {
  return {
    requestId: id(),
    deliveryId: id(),
    url: 'https://rp.example/hook',
    createdAt: T0,
    deadline: T0 + 3600,
    ...overrides,
  };
}

/** The webhook outbox's contract (`WebhookDeliveryStore` in core's ports.ts), on every implementation. */
export function describeWebhookDeliveryStoreContract(name: string, harness: StoresHarness): void {
  describe(`WebhookDeliveryStore contract: ${name}`, () => {
    const masterKey = generateMasterKey();
    const clock: Clock = { now: () => T0 };
    let stores: Stores;

    beforeAll(() => harness.setup());
    afterAll(() => harness.teardown());
    beforeEach(async () => {
      await harness.reset();
      // The main suite's reset does not know this table.
      await harness.sql?.('TRUNCATE webhook_deliveries');
      stores = await harness.open({ masterKey, clock });
    });

    it('enqueues one delivery per request, due at once, with no attempt yet', async () => {
      const first = delivery();
      expect(await stores.webhookDeliveries.enqueue(first)).toBe(true);
      expect(
        await stores.webhookDeliveries.enqueue({ ...first, deliveryId: id(), url: 'https://x.example/' }),
      ).toBe(false);
      expect(await stores.webhookDeliveries.get(first.requestId)).toEqual({
        requestId: first.requestId,
        deliveryId: first.deliveryId,
        url: first.url,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T0,
        deadline: T0 + 3600,
        createdAt: T0,
      });
      expect(await stores.webhookDeliveries.get(id())).toBeUndefined();
      expect(await stores.webhookDeliveries.get('not an id')).toBeUndefined();
    });

    it('an enqueue in a transaction that rolls back leaves no delivery', async () => {
      const lost = delivery();
      await expect(
        stores.transaction(async (tx) => {
          await tx.webhookDeliveries.enqueue(lost);
          throw new Error('the answer is not recorded');
        }),
      ).rejects.toThrow('the answer is not recorded');
      expect(await stores.webhookDeliveries.get(lost.requestId)).toBeUndefined();
      const kept = delivery();
      await stores.transaction((tx) => tx.webhookDeliveries.enqueue(kept));
      expect(await stores.webhookDeliveries.get(kept.requestId)).toMatchObject({ state: 'pending' });
    });

    it('claims due deliveries oldest first, up to the limit, counting the attempt and leasing them', async () => {
      const late = delivery({ createdAt: T0 + 5 });
      const early = delivery({ createdAt: T0 + 1 });
      const future = delivery({ createdAt: T0 + 100 });
      for (const d of [late, early, future]) await stores.webhookDeliveries.enqueue(d);
      const options = claimOptions(60, 1);
      const [first, ...none] = await stores.webhookDeliveries.claim(T0 + 10, options);
      expect(none).toEqual([]);
      expect(first).toMatchObject({
        requestId: early.requestId,
        attempts: 1,
        nextAttemptAt: T0 + 70,
        lease: options.lease,
        state: 'pending',
      });
      const rest = await stores.webhookDeliveries.claim(T0 + 20, claimOptions());
      expect(rest.map((d) => d.requestId)).toEqual([late.requestId]);
      // Leased: nothing due until the lease ends; then the delivery is due again (its claimer died).
      expect(await stores.webhookDeliveries.claim(T0 + 69, claimOptions())).toEqual([]);
      const again = await stores.webhookDeliveries.claim(T0 + 70, claimOptions());
      expect(again.map((d) => [d.requestId, d.attempts])).toEqual([[early.requestId, 2]]);
    });

    it('settles only under the current lease: delivered, retried or given up', async () => {
      const d = delivery();
      await stores.webhookDeliveries.enqueue(d);
      const [stale] = await stores.webhookDeliveries.claim(T0, claimOptions(30));
      const [current] = await stores.webhookDeliveries.claim(T0 + 30, claimOptions(30));
      expect(current!.attempts).toBe(2);
      // The first claimer's lease ran out and the delivery was taken over: its outcome is not written.
      expect(
        await stores.webhookDeliveries.settle(d.requestId, stale!.lease, { state: 'delivered', at: T0 }),
      ).toBe(false);
      expect(
        await stores.webhookDeliveries.settle(d.requestId, current!.lease, {
          state: 'pending',
          nextAttemptAt: T0 + 120,
          error: 'WEBHOOK_REFUSED',
        }),
      ).toBe(true);
      expect(await stores.webhookDeliveries.get(d.requestId)).toMatchObject({
        state: 'pending',
        attempts: 2,
        nextAttemptAt: T0 + 120,
        lastError: 'WEBHOOK_REFUSED',
      });
      // Settling released the lease: the same lease cannot settle twice.
      expect(
        await stores.webhookDeliveries.settle(d.requestId, current!.lease, { state: 'delivered', at: T0 }),
      ).toBe(false);
      expect(await stores.webhookDeliveries.claim(T0 + 119, claimOptions())).toEqual([]);
      const [third] = await stores.webhookDeliveries.claim(T0 + 120, claimOptions());
      expect(
        await stores.webhookDeliveries.settle(d.requestId, third!.lease, {
          state: 'delivered',
          at: T0 + 121,
        }),
      ).toBe(true);
      const done = await stores.webhookDeliveries.get(d.requestId);
      expect(done).toMatchObject({ state: 'delivered', attempts: 3, finishedAt: T0 + 121 });
      expect(done!.lastError).toBeUndefined();
      expect(await stores.webhookDeliveries.claim(T0 + 10_000, claimOptions())).toEqual([]);

      const failing = delivery();
      await stores.webhookDeliveries.enqueue(failing);
      const [claimed] = await stores.webhookDeliveries.claim(T0, claimOptions());
      await stores.webhookDeliveries.settle(failing.requestId, claimed!.lease, {
        state: 'failed',
        at: T0 + 1,
        error: 'WEBHOOK_GAVE_UP',
      });
      expect(await stores.webhookDeliveries.get(failing.requestId)).toMatchObject({
        state: 'failed',
        finishedAt: T0 + 1,
        lastError: 'WEBHOOK_GAVE_UP',
      });
      expect(await stores.webhookDeliveries.claim(T0 + 10_000, claimOptions())).toEqual([]);
    });

    it('concurrent claimers never receive the same delivery', async () => {
      const all = Array.from({ length: 30 }, (_, i) => delivery({ createdAt: T0 + i }));
      for (const d of all) await stores.webhookDeliveries.enqueue(d);
      // A second set of stores over the same data: on PostgreSQL, other pool connections.
      const other = await harness.open({ masterKey, clock });
      const rounds = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? other : stores).webhookDeliveries.claim(T0 + 100, claimOptions(60, 7)),
        ),
      );
      const claimed = rounds.flat().map((d) => d.requestId);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.sort()).toEqual(all.map((d) => d.requestId).sort());
      await other.close();
    });

    it('purges finished deliveries before a time, never pending ones', async () => {
      const done = delivery();
      const pending = delivery();
      await stores.webhookDeliveries.enqueue(done);
      const [claimed] = await stores.webhookDeliveries.claim(T0, claimOptions(60, 1));
      expect(claimed!.requestId).toBe(done.requestId);
      await stores.webhookDeliveries.settle(done.requestId, claimed!.lease, {
        state: 'delivered',
        at: T0 + 5,
      });
      await stores.webhookDeliveries.enqueue(pending);
      expect(await stores.webhookDeliveries.purgeFinished(T0 + 5)).toBe(0);
      expect(await stores.webhookDeliveries.purgeFinished(T0 + 1_000_000)).toBe(1);
      expect(await stores.webhookDeliveries.get(done.requestId)).toBeUndefined();
      expect(await stores.webhookDeliveries.get(pending.requestId)).toMatchObject({ state: 'pending' });
    });

    it('refuses malformed input as a caller bug (TypeError), and error text that is not a code', async () => {
      await expect(stores.webhookDeliveries.enqueue(delivery({ requestId: 'short' }))).rejects.toThrow(
        TypeError,
      );
      await expect(stores.webhookDeliveries.enqueue(delivery({ url: '' }))).rejects.toThrow(TypeError);
      await expect(stores.webhookDeliveries.enqueue(delivery({ deadline: Number.NaN }))).rejects.toThrow(
        TypeError,
      );
      await expect(stores.webhookDeliveries.claim(T0, { ...claimOptions(), limit: 0 })).rejects.toThrow(
        TypeError,
      );
      await expect(stores.webhookDeliveries.claim(T0, { ...claimOptions(), lease: 'x' })).rejects.toThrow(
        TypeError,
      );
      await expect(
        stores.webhookDeliveries.settle(id(), id(), {
          state: 'failed',
          at: T0,
          error: 'the receiver said: Amina',
        }),
      ).rejects.toThrow(TypeError);
      if (harness.sql) {
        // The schema refuses free text in last_error too.
        const d = delivery();
        await stores.webhookDeliveries.enqueue(d);
        await expect(
          harness.sql("UPDATE webhook_deliveries SET last_error = 'free text' WHERE request_id = $1", [
            d.requestId,
          ]),
        ).rejects.toThrow();
      }
    });
  });
}
