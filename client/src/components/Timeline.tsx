/**
 * A card's timeline (GET …/timeline, newest first): who claimed, picked up, delivered, changed the
 * private details… Reloaded whenever the card's booking version changes (a transition by anyone,
 * seen through the bookings document) or `refreshKey` does (this user changed something that adds
 * a row). The last good list stays on screen when a reload fails.
 */
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { ApiError, errorMessage, type TimelineEntry } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { formatWhen, statusLabel, timelineText } from '../lib/bookingFormat.ts';

export interface TimelineProps {
  boardId: string;
  cardId: string;
  version: number;
  refreshKey?: number;
}

export function Timeline(props: TimelineProps) {
  const api = useApi();
  const [entries, setEntries] = createSignal<TimelineEntry[] | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  let request = 0;

  const load = async () => {
    const mine = ++request;
    try {
      const { timeline } = await api.timeline(props.boardId, props.cardId);
      if (mine !== request) return;
      setEntries(timeline);
      setError(null);
    } catch (err) {
      if (mine !== request) return;
      setError(err instanceof ApiError && err.isNetwork ? "The timeline can't be loaded while you're offline." : errorMessage(err));
    }
  };
  createEffect(on([() => props.cardId, () => props.version, () => props.refreshKey], () => void load()));

  return (
    <section class="card-section timeline-section" aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">Timeline</h3>
      <Show when={error()}>
        <p class="muted small" data-testid="timeline-error">
          {error()}
        </p>
      </Show>
      <Show when={entries()} fallback={<Show when={!error()}><p class="muted small">Loading…</p></Show>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted small" data-testid="timeline-empty">Nothing has happened to this card yet.</p>}>
            <ol class="timeline" data-testid="timeline">
              <For each={list()}>
                {(entry) => (
                  <li class="timeline-entry" data-testid="timeline-entry" data-action={entry.action}>
                    <span class="timeline-dot" classList={{ [`dot-${entry.toStatus}`]: !!entry.toStatus }} aria-hidden="true" />
                    <div class="timeline-body">
                      <p class="timeline-text">
                        {timelineText(entry)}
                        <Show when={entry.fromStatus && entry.toStatus && entry.fromStatus !== entry.toStatus}>
                          <span class="timeline-change">
                            {' '}
                            ({statusLabel(entry.fromStatus)} → {statusLabel(entry.toStatus)})
                          </span>
                        </Show>
                      </p>
                      <Show when={entry.note}>
                        <p class="timeline-note">“{entry.note}”</p>
                      </Show>
                      <time class="timeline-time" dateTime={new Date(entry.at).toISOString()}>
                        {formatWhen(entry.at)}
                      </time>
                    </div>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        )}
      </Show>
    </section>
  );
}
