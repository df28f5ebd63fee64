/** The in-memory document store against the DocumentStore contract (its reference implementation). */
import { createMemoryDocumentStore } from '../../src/stores/memory/documentStore.ts';
import { documentStoreContract } from './documentStore.contract.ts';

documentStoreContract('memory', async () => ({ store: createMemoryDocumentStore() }));
