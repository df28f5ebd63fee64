/**
 * Process entry for the multi-process relay tests: one replica on Postgres + Redis, like
 * `node --import tsx server/src/main.ts` will be once server.ts wires REDIS_URL (then the tests
 * can spawn main.ts instead). Env: PORT, DATABASE_URL, REDIS_URL, RELAY_PREFIX, CATCH_UP_MS,
 * RECONCILE_MS, LOG_LEVEL. Prints one JSON line `{"port":N}` once listening; SIGTERM shuts down gracefully.
 */
import pino from 'pino';
import { openPg } from '../../src/db/pg.ts';
import { createPgStores } from '../../src/stores/pg/createPgStores.ts';
import { startReplicaServer } from './replicaServer.ts';

const env = process.env;
const logger = pino({ level: env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
const pg = await openPg(env.DATABASE_URL!, { max: 8 });
const replica = await startReplicaServer({
  stores: createPgStores(pg.db),
  closeStores: () => pg.close(),
  redisUrl: env.REDIS_URL!,
  prefix: env.RELAY_PREFIX!,
  logger,
  port: Number(env.PORT ?? 0),
  catchUpMs: env.CATCH_UP_MS ? Number(env.CATCH_UP_MS) : undefined,
  reconcileMs: env.RECONCILE_MS ? Number(env.RECONCILE_MS) : undefined,
});
process.stdout.write(JSON.stringify({ port: replica.port, replicaId: replica.relay.replicaId }) + '\n');
process.once('SIGTERM', () => {
  replica.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
