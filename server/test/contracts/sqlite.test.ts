/** Every store contract against SQLite: a fresh file per test. */
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openSqlite } from '../../src/db/sqlite.ts';
import { createSqliteStores } from '../../src/stores/sqlite/createSqliteStores.ts';
import { createSqliteDocumentStore } from '../../src/stores/sqlite/documentStore.ts';
import { tempDir } from '../helpers.ts';
import { documentStoreContract } from './documentStore.contract.ts';
import { userStoreContract } from './userStore.contract.ts';
import { boardStoreContract } from './boardStore.contract.ts';
import { bookingStoreContract } from './bookingStore.contract.ts';
import { cardStoreContract } from './cardStore.contract.ts';

function open(file: string) {
  const database = openSqlite(file);
  onTestFinished(() => database.close());
  return database;
}

const fresh = async () => createSqliteStores(open(join(tempDir(), 'test.sqlite')).db);

documentStoreContract('sqlite', async () => {
  const file = join(tempDir(), 'docs.sqlite');
  return { store: createSqliteDocumentStore(open(file).db), reopen: async () => createSqliteDocumentStore(open(file).db) };
});
userStoreContract('sqlite', fresh);
boardStoreContract('sqlite', fresh);
bookingStoreContract('sqlite', fresh);
cardStoreContract('sqlite', fresh);
