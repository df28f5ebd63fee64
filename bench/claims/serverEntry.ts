/**
 * Bench-only server entry (instead of server/src/main.ts): the same config from the environment, but
 * with the sign-in/registration rate limits raised whatever the environment says (the claims bench
 * registers hundreds of drivers from one IP), and a profiler switch. Nothing else differs.
 *
 * Optional in-process CPU profiling of a chosen window only (so setup is not in the profile): with
 * BENCH_PROFILE_DIR set, each SIGUSR2 toggles the V8 profiler; a stop writes
 * `<dir>/window-<n>.cpuprofile` and prints `PROFILE_WRITTEN <path>` on stdout.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import pino from 'pino';
import { parseConfig } from '../../server/src/config.ts';
import { startServer } from '../../server/src/server.ts';

const config = parseConfig(process.env);
const logger = pino({ level: config.logLevel });
const server = await startServer({
  ...config,
  logger,
  limits: { loginPerIpPerMinute: 1e6, loginPerAccountPer15Min: 1e6, registerPerIpPerHour: 1e6 },
});
console.log(`READY ${server.port}`);

const profileDir = process.env.BENCH_PROFILE_DIR;
if (profileDir) {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 200) });
  let running = false;
  let n = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      void post('Profiler.start').then(() => console.log('PROFILE_STARTED'));
      return;
    }
    running = false;
    void post('Profiler.stop').then(({ profile }) => {
      const file = join(profileDir, `window-${++n}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`PROFILE_WRITTEN ${file}`);
    });
  });
}

const shutdown = () => {
  const timer = setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
  timer.unref();
  server.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
