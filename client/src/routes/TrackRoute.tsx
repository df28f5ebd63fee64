/**
 * `/track/:token`: the public page a recipient opens from a tracking link — no account, no sign-in.
 * Shows the delivery's title, status, the driver's first name and the timeline from
 * GET /api/track/:token, refreshed every 15 s (and when the tab comes back into view). An unknown
 * or revoked link gets a friendly explanation; a network failure keeps the last good answer.
 */
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { BookingStatus } from '@delivery-board/schema/bookings';
import { ApiError, errorMessage, type TrackingInfo } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { formatWhen, STATUS_LABELS } from '../lib/bookingFormat.ts';
import { Loading } from '../components/Loading.tsx';

export const TRACK_REFRESH_MS = 15_000;

const STEPS: BookingStatus[] = ['open', 'claimed', 'picked_up', 'delivered'];

/** The headline under the status: what is happening, in the recipient's terms. */
function headline(info: TrackingInfo): string {
  const driver = info.driver;
  switch (info.status) {
    case 'open':
      return 'Your delivery is waiting for a driver.';
    case 'claimed':
      return driver ? `${driver} will pick up your delivery.` : 'A driver will pick up your delivery.';
    case 'picked_up':
      return driver ? `${driver} has picked it up and is on the way.` : 'Your delivery is on the way.';
    case 'delivered':
      return driver ? `Delivered by ${driver}.` : 'Delivered.';
    case 'cancelled':
      return 'This delivery has been cancelled. If you were expecting it, contact the group that sent you this link.';
  }
}

/** One timeline step for the recipient: "Picked up by Sam". */
function stepText(step: TrackingInfo['timeline'][number]): string {
  const label = STATUS_LABELS[step.status] ?? step.status;
  if (step.status === 'open') return 'Waiting for a driver';
  if (step.driver && step.status !== 'cancelled') return `${label} by ${step.driver}`;
  return label;
}

export function TrackRoute(props: { token: string }) {
  const api = useApi();
  const [info, setInfo] = createSignal<TrackingInfo | null>(null);
  const [notFound, setNotFound] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [checkedAt, setCheckedAt] = createSignal<number | null>(null);

  const load = async () => {
    try {
      const next = await api.track(props.token);
      setInfo(next);
      setNotFound(false);
      setError(null);
      setCheckedAt(Date.now());
    } catch (err) {
      // 400: not even a well-formed token (a link cut short when copied).
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
        setNotFound(true);
        setInfo(null);
      } else {
        setError(err instanceof ApiError && err.isNetwork ? "Can't reach the server right now. This page will keep trying." : errorMessage(err));
      }
    }
  };

  onMount(() => {
    document.title = 'Delivery tracking';
    void load();
    const timer = setInterval(() => void load(), TRACK_REFRESH_MS);
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    onCleanup(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    });
  });

  const stepIndex = () => {
    const s = info()?.status;
    return s ? STEPS.indexOf(s) : -1;
  };

  return (
    <main class="track-page" data-testid="track-page">
      <div class="brand brand-large track-brand">
        <span class="brand-mark" aria-hidden="true" />
        <span class="brand-name">Delivery tracking</span>
      </div>
      <div class="panel track-panel">
        <Show when={!notFound()} fallback={<TrackNotFound />}>
          <Show when={info()} fallback={<Show when={error()} fallback={<Loading label="Looking up your delivery…" />}><p class="form-error" role="alert">{error()}</p></Show>}>
            {(i) => (
              <>
                <p class="track-eyebrow">Delivery</p>
                <h1 data-testid="track-title">{i().title.trim() || 'Your delivery'}</h1>
                <p class={`track-status status-badge badge status-${i().status}`} data-testid="track-status" data-status={i().status}>
                  <span class="status-mark" aria-hidden="true" />
                  {STATUS_LABELS[i().status] ?? i().status}
                </p>
                <p class="track-headline" data-testid="track-headline">
                  {headline(i())}
                </p>

                <Show when={i().status !== 'cancelled'}>
                  <ol class="track-steps" aria-label="Progress">
                    <For each={STEPS}>
                      {(step, n) => (
                        <li
                          class="track-step"
                          classList={{ done: n() < stepIndex() || i().status === 'delivered', current: n() === stepIndex() }}
                          aria-current={n() === stepIndex() ? 'step' : undefined}
                        >
                          <span class="track-step-dot" aria-hidden="true" />
                          <span class="track-step-label">{step === 'open' ? 'Requested' : STATUS_LABELS[step]}</span>
                        </li>
                      )}
                    </For>
                  </ol>
                </Show>

                <h2 class="track-subhead">Timeline</h2>
                <Show when={i().timeline.length > 0} fallback={<p class="muted">Nothing has happened yet.</p>}>
                  <ol class="timeline" data-testid="track-timeline">
                    <For each={[...i().timeline].reverse()}>
                      {(step) => (
                        <li class="timeline-entry" data-testid="track-timeline-entry">
                          <span class={`timeline-dot dot-${step.status}`} aria-hidden="true" />
                          <div class="timeline-body">
                            <p class="timeline-text">{stepText(step)}</p>
                            <time class="timeline-time" dateTime={new Date(step.at).toISOString()}>
                              {formatWhen(step.at)}
                            </time>
                          </div>
                        </li>
                      )}
                    </For>
                  </ol>
                </Show>

                <Show when={error()}>
                  <p class="banner track-banner" role="status">
                    {error()}
                  </p>
                </Show>
                <p class="muted small track-refresh" role="status">
                  Updates by itself every 15 seconds{checkedAt() ? ` · last checked ${formatWhen(checkedAt()!)}` : ''}.
                </p>
              </>
            )}
          </Show>
        </Show>
      </div>
    </main>
  );
}

function TrackNotFound() {
  return (
    <div data-testid="track-not-found">
      <h1>This tracking link doesn't work</h1>
      <p>It may have been switched off by the people organising the delivery, or part of the address is missing.</p>
      <p class="muted">If you're expecting a delivery, ask whoever sent you the link for a new one.</p>
    </div>
  );
}
