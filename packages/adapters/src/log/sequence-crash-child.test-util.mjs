// The child process of sequence-crash.test.ts: appends, sequences and checkpoints the transparency
// log in a loop until the parent kills it with SIGKILL. Plain JavaScript over the BUILT packages
// (Node 20 cannot run the TypeScript sources), so the test builds core and adapters first.
//
// stdout, one line per fact the parent checks after the crash:
//   READY                 the stores are open
//   A <id> [<id>…]        these entries' transaction committed (written after the commit)
//   R <id> [<id>…]        these entries were appended in a transaction that is then rolled back
//   C <size>              a checkpoint of this size was saved

import { migrateDatabase, nodeCrypto, openDatabase, openStores, parseMasterKey } from '@trieste/adapters';
import { formatCheckpoint, isTriesteError, signNote, utf8Encode } from '@trieste/core';

const [mode, where, label] = process.argv.slice(2);
if ((mode !== '--data-dir' && mode !== '--database-url') || !where || !label) {
  console.error('usage: sequence-crash-child.mjs --data-dir DIR|--database-url URL LABEL');
  process.exit(2);
}
const ORIGIN = 'trieste.test/crash';
const masterKey = parseMasterKey(process.env.TRIESTE_TEST_MASTER_KEY ?? '');
const database = await openDatabase(mode === '--data-dir' ? { dataDir: where } : { databaseUrl: where });
await migrateDatabase(database);
const stores = await openStores({ database, masterKey });
const hasher = nodeCrypto();
const say = (line) => process.stdout.write(`${line}\n`);
const entry = (id) => utf8Encode(JSON.stringify({ id, pad: 'x'.repeat(Math.floor(Math.random() * 200)) }));
say('READY');

let n = 0;
const ids = (count) => Array.from({ length: count }, () => `${label}-${n++}`);
for (;;) {
  const dice = Math.random();
  if (dice < 0.4) {
    const [id] = ids(1);
    await stores.log.append(entry(id));
    say(`A ${id}`);
  } else if (dice < 0.55) {
    const batch = ids(1 + Math.floor(Math.random() * 20));
    await stores.transaction(async (tx) => {
      for (const id of batch) await tx.log.append(entry(id));
    });
    say(`A ${batch.join(' ')}`);
  } else if (dice < 0.6) {
    const batch = ids(1 + Math.floor(Math.random() * 5));
    await stores
      .transaction(async (tx) => {
        for (const id of batch) await tx.log.append(entry(id));
        say(`R ${batch.join(' ')}`);
        throw new Error('rolled back on purpose');
      })
      .catch(() => {});
  } else if (dice < 0.9) {
    await stores.log.sequence(hasher, { maxBatch: 1 + Math.floor(Math.random() * 200) });
  } else {
    const { size, rootHash } = await stores.log.state();
    const text = formatCheckpoint({ origin: ORIGIN, size, rootHash });
    const note = await signNote(text, [{ name: ORIGIN, signer: await stores.log.signer() }], hasher);
    try {
      await stores.log.saveCheckpoint({ size, note });
      say(`C ${size}`);
    } catch (error) {
      // Another process saved a larger checkpoint first: expected when two of us race.
      if (!isTriesteError(error) || error.code !== 'LOG_INCONSISTENT') throw error;
    }
  }
}
