/**
 * The device's time, renewed once a minute: for labels that change with the clock (a card that is
 * late). One timer for the whole app, started by the first reader; reading it in a component or
 * memo subscribes to the change.
 */
import { createRoot, createSignal, type Accessor } from 'solid-js';

const MINUTE = 60_000;
let clock: Accessor<Date> | null = null;

export function minuteClock(): Date {
  clock ??= createRoot(() => {
    const [now, setNow] = createSignal(new Date());
    setInterval(() => setNow(new Date()), MINUTE);
    return now;
  });
  return clock();
}
