/** Runs the DocumentStore contract against every implementation. */
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openSqlite } from '../src/db/sqlite.ts';
import { createMemoryDocumentStore } from '../src/stores/memory/documentStore.ts';
import { createSqliteDocumentStore } from '../src/stores/sqlite/documentStore.ts';
import { documentStoreContract } from './documentStore.contract.ts';
import { tempDir } from './helpers.ts';

documentStoreContract('memory', async () => ({ store: createMemoryDocumentStore() }));

documentStoreContract('sqlite', async () => {
  const file = join(tempDir(), 'docs.sqlite');
  const open = () => {
    const database = openSqlite(file);
    onTestFinished(() => database.close());
    return database;
  };
  const first = open();
  return { store: createSqliteDocumentStore(first.db), reopen: async () => createSqliteDocumentStore(open().db) };
});
