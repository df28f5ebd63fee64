/**
 * Prometheus metrics (`GET /metrics`): one registry per app (no global state, so tests and several
 * servers in one process don't collide). Gauges are read at scrape time from the parts that own
 * the numbers; counters are incremented where things happen.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsSources {
  connections?: () => number;
  rooms?: () => number;
  /** Write attempts dropped on read-only sync connections since start, per document kind. */
  droppedWrites?: () => Record<string, number>;
  refusedCardRemovals?: () => number;
  forgedComments?: () => number;
  forgedCardCreators?: () => number;
  /** With several replicas (REDIS_URL): the relay's state; without, no relay metrics at all. */
  relay?: () => { up: boolean; dropped: number; caughtUp: number };
}

export function createMetrics(sources: MetricsSources = {}, defaults = false) {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'dboard_' });
  const httpRequests = new Counter({
    name: 'dboard_http_requests_total',
    help: 'API requests by method and status class',
    labelNames: ['method', 'status'] as const,
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'dboard_booking_transitions_total',
    help: 'Booking transition requests by action and answer status (replays included)',
    labelNames: ['action', 'status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'dboard_sync_connections',
    help: 'Open sync websockets',
    registers: [registry],
    collect() {
      this.set(sources.connections?.() ?? 0);
    },
  });
  new Gauge({
    name: 'dboard_sync_rooms',
    help: 'Documents loaded in memory',
    registers: [registry],
    collect() {
      this.set(sources.rooms?.() ?? 0);
    },
  });
  // Counted by the sync server, read at scrape time.
  new Counter({
    name: 'dboard_sync_dropped_writes_total',
    help: 'Updates that would have changed a document, dropped on read-only sync connections (viewers; every client on the bookings document)',
    labelNames: ['doc'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [doc, count] of Object.entries(sources.droppedWrites?.() ?? {})) this.inc({ doc }, count);
    },
  });
  scrapedCounter(registry, 'dboard_sync_refused_card_removals_total', 'Updates from drivers or requesters that would have deleted cards or comments they may not delete (the deletions were not applied)', sources.refusedCardRemovals);
  scrapedCounter(registry, 'dboard_sync_forged_comments_total', 'Updates with comments that claimed to be written by another member (those comments were blanked, the rest applied)', sources.forgedComments);
  scrapedCounter(registry, 'dboard_sync_forged_card_creators_total', 'Cards created in the name of another member or of nobody (the server set their creator to the member who sent them)', sources.forgedCardCreators);
  const relay = sources.relay;
  if (relay) {
    new Gauge({
      name: 'dboard_relay_up',
      help: '1 while both relay connections to Redis are ready, else 0 (edits then reach other replicas through the database)',
      registers: [registry],
      collect() {
        this.set(relay().up ? 1 : 0);
      },
    });
    scrapedCounter(registry, 'dboard_relay_dropped_total', 'Relay messages not published because Redis was away (the database carried them)', () => relay().dropped);
    scrapedCounter(registry, 'dboard_sync_caught_up_updates_total', 'Updates read from the database that the relay had not brought (missed while Redis was away or slow)', () => relay().caughtUp);
  }
  return { registry, httpRequests, transitions };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A counter kept by another part (the sync server, the relay) and read at scrape time. */
function scrapedCounter(registry: Registry, name: string, help: string, read: (() => number) | undefined) {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read?.() ?? 0);
    },
  });
}
