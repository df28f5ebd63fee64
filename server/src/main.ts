/** Entry point: reads the environment (only here), starts the server, shuts down gracefully. */
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { parseConfig } from './config.ts';
import { startServer } from './server.ts';

let config;
try {
  config = parseConfig(process.env);
} catch (err) {
  console.error('Invalid configuration:', err instanceof Error ? err.message : err);
  process.exit(1);
}
const logger = pino({ level: config.logLevel });
const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const server = await startServer({ ...config, clientDir, logger });
logger.info({ port: server.port, database: config.databaseUrl ? 'postgres' : config.dataDir }, `Delivery Board listening on http://localhost:${server.port}`);

const shutdown = (signal: string) => {
  logger.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    logger.error('shutdown timed out; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs);
  timer.unref();
  server.close().then(
    () => process.exit(0),
    (err) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
