/** Command-line options of the claims benchmark (see bench/claims/README section in the report). */
import { parseArgs } from 'node:util';

export interface Options {
  drivers: number;
  cards: number;
  concurrency: number;
  rounds: number;
  warmup: number;
  workers: number;
  /** Claims per second within a round; 0 = burst (all at once, up to the concurrency cap). */
  rate: number;
  pick: 'spread' | 'random';
  seed: number;
  timeoutS: number;
  requestTimeoutMs: number;
  registerParallel: number;
  cpuProf: boolean;
  out: string | null;
}

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      drivers: { type: 'string', default: '500' },
      cards: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '500' },
      rounds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      workers: { type: 'string', default: '1' },
      rate: { type: 'string', default: '0' },
      pick: { type: 'string', default: 'spread' },
      seed: { type: 'string', default: '1' },
      timeout: { type: 'string', default: '600' },
      'request-timeout': { type: 'string', default: '15000' },
      'register-parallel': { type: 'string', default: '6' },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  if (values.pick !== 'spread' && values.pick !== 'random') throw new Error('--pick must be spread or random');
  return {
    drivers: int('drivers', values.drivers, 1),
    cards: int('cards', values.cards, 1),
    concurrency: int('concurrency', values.concurrency, 1),
    rounds: int('rounds', values.rounds, 1),
    warmup: int('warmup', values.warmup, 0),
    workers: int('workers', values.workers, 1),
    rate: int('rate', values.rate, 0),
    pick: values.pick,
    seed: int('seed', values.seed, 0),
    timeoutS: int('timeout', values.timeout, 10),
    requestTimeoutMs: int('request-timeout', values['request-timeout'], 100),
    registerParallel: int('register-parallel', values['register-parallel'], 1),
    cpuProf: values['cpu-prof'] ?? false,
    out: values.out ?? null,
  };
}
