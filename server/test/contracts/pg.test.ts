/**
 * Every store contract against Postgres: one fresh database for this file, emptied before each
 * test. Fails (never skips) when Postgres is unreachable.
 */
import { createPgDocumentStore } from '../../src/stores/pg/documentStore.ts';
import { documentStoreContract } from './documentStore.contract.ts';
import { userStoreContract } from './userStore.contract.ts';
import { boardStoreContract } from './boardStore.contract.ts';
import { bookingStoreContract } from './bookingStore.contract.ts';
import { cardStoreContract } from './cardStore.contract.ts';
import { usePgDatabase } from './pgTestDb.ts';

const pg = usePgDatabase();
const fresh = () => pg.freshStores();

documentStoreContract('postgres', async () => {
  const { documents } = await fresh();
  // Re-opening = a new pool on the same database, as after a restart.
  return { store: documents, reopen: async () => createPgDocumentStore((await pg.openPool()).db) };
});
userStoreContract('postgres', fresh);
boardStoreContract('postgres', fresh);
bookingStoreContract('postgres', fresh);
cardStoreContract('postgres', fresh);
