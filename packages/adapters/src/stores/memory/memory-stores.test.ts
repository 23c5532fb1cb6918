import type { SealedPrivateKey } from '../../keys/seal-private-key.js';
import { describeRegistryStoreContract } from '../registry-contract.test-util.js';
import { describeStoresContract, type StoresHarness } from '../stores-contract.test-util.js';
import { describeTrustListStoreContract } from '../trust-list-contract.test-util.js';
import { describeWebhookDeliveryStoreContract } from '../webhook-delivery-contract.test-util.js';
import { createMemoryStores } from './create-memory-stores.js';
import { createMemoryStoreData, type MemoryStoreData } from './memory-store-data.js';

let data: MemoryStoreData = createMemoryStoreData();

const harness: StoresHarness = {
  async setup() {},
  async teardown() {},
  async reset() {
    data = createMemoryStoreData();
  },
  async open(options) {
    return createMemoryStores({ ...options, data });
  },
  async rawIssuerKey(kid) {
    const dump = data.dump() as { keys: Record<string, { sealed: { ciphertext: string; nonce: string } }> };
    const key = dump.keys[kid];
    if (!key) throw new Error('no such key');
    const sealed: SealedPrivateKey = {
      ciphertext: Buffer.from(key.sealed.ciphertext, 'hex'),
      nonce: Buffer.from(key.sealed.nonce, 'hex'),
    };
    return { text: JSON.stringify(key), sealed };
  },
  async rawPresentationRequest(id) {
    const dump = data.dump() as { presentationRequests: Record<string, unknown> };
    return JSON.stringify(dump.presentationRequests[id] ?? null);
  },
  async rawLogKey() {
    const dump = data.dump() as {
      log: { key?: { kid: string; sealed: { ciphertext: string; nonce: string } } };
    };
    const key = dump.log.key;
    if (!key) throw new Error('no log key');
    const sealed: SealedPrivateKey = {
      ciphertext: Buffer.from(key.sealed.ciphertext, 'hex'),
      nonce: Buffer.from(key.sealed.nonce, 'hex'),
    };
    return { kid: key.kid, text: JSON.stringify(dump.log), sealed };
  },
};

describeStoresContract('in memory', harness);
describeTrustListStoreContract('in memory', harness);
describeRegistryStoreContract('in memory', harness);
describeWebhookDeliveryStoreContract('in memory', harness);
