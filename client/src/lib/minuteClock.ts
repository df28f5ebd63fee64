/**
 * The device's time, renewed once a minute: for what changes with the clock (a card that is late,
 * the time-window filter). One clock for the whole app, started by the first reader; reading it in
 * a component or memo subscribes to the change, so the Late markers and the filter always agree.
 */
import { createRoot, createSignal, type Accessor, type Setter } from 'solid-js';

const MINUTE = 60_000;
let clock: { now: Accessor<Date>; set: Setter<Date> } | null = null;

function started() {
  clock ??= createRoot(() => {
    const [now, set] = createSignal(new Date());
    setInterval(() => set(new Date()), MINUTE);
    return { now, set };
  });
  return clock;
}

export function minuteClock(): Date {
  return started().now();
}

/**
 * Reads the device's clock at once, for every reader: when the user picks a time window it is
 * judged by the time of the choice (a laptop woken after midnight has not ticked yet).
 */
export function refreshMinuteClock(): void {
  started().set(new Date());
}
