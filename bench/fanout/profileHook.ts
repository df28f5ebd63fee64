/**
 * Preloaded into our server processes with `--cpu-prof` (`node --import tsx --import
 * ./bench/fanout/profileHook.ts server/src/main.ts`): server/src/main.ts runs unchanged, and each
 * SIGUSR2 toggles the V8 CPU profiler, so only the measured window is profiled. A stop writes
 * `$BENCH_PROFILE_DIR/$BENCH_PROFILE_NAME.cpuprofile` and prints `PROFILE_WRITTEN <path>`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const name = process.env.BENCH_PROFILE_NAME ?? `server-${process.pid}`;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  let running = false;
  let busy = false;
  process.on('SIGUSR2', () => {
    if (busy) return;
    busy = true;
    const step = running
      ? post('Profiler.stop').then(({ profile }) => {
          const file = join(dir, `${name}.cpuprofile`);
          writeFileSync(file, JSON.stringify(profile));
          process.stdout.write(`PROFILE_WRITTEN ${file}\n`);
        })
      : post('Profiler.enable')
          .then(() => post('Profiler.setSamplingInterval', { interval: 250 }))
          .then(() => post('Profiler.start'))
          .then(() => process.stdout.write('PROFILE_STARTED\n'));
    step.then(
      () => {
        running = !running;
        busy = false;
      },
      (err) => {
        process.stdout.write(`PROFILE_ERROR ${String(err)}\n`);
        busy = false;
      },
    );
  });
}
