/**
 * The relay over Redis pub/sub (ioredis): one connection publishes, one subscribes. Channels:
 * `<prefix>doc:<docName>` per loaded document, `<prefix>access` for membership changes and ended
 * sessions. Messages
 * carry this replica's id (relay/messages.ts); Redis delivers a publisher's own messages back to
 * it, and they are dropped here.
 *
 * Failure model (Redis is the fast path, the database is the truth):
 * - Nothing queues while a connection is down (no offline queue): an update published then is
 *   dropped, and the other replicas read it from the database (their periodic catch-up, or their
 *   `resync` if they lost Redis too). Memory stays bounded however long Redis is away. Access
 *   changes and ended sessions are the exception: few, and not in the database's document log, so
 *   up to MAX_QUEUED_ACCESS of them wait for the publisher to come back.
 * - The subscriber manages its own channels (autoResubscribe off): on every `ready` it subscribes
 *   to all of them and only then calls `resync`, so the catch-up read happens after messages flow
 *   again and nothing falls between the two.
 * - `subscribe` while disconnected resolves at once (the channel is subscribed on `ready`, followed
 *   by a resync); while connected it resolves on the SUBSCRIBE reply, or after
 *   `subscribeTimeoutMs` so that a stalled Redis never blocks loading a document.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { Role } from '@delivery-board/schema/types';
import type { Relay, RelayHandlers } from '../sync/relay.ts';
import { decodeRelayMessage, encodeRelayMessage, relayMessageSender, type RelayMessage } from './messages.ts';

const MAX_QUEUED_ACCESS = 1000;

export interface RedisRelayOptions {
  /** redis://… */
  url: string;
  logger: Logger;
  /** Unique per process; default makeReplicaId(). Two replicas sharing one drop each other's messages. */
  replicaId?: string;
  /** Channel (and key) prefix, so several deployments or test runs can share one Redis. */
  prefix?: string;
  subscribeTimeoutMs?: number;
  /** Upper bound of the reconnection backoff (50 ms × attempt). */
  maxReconnectDelayMs?: number;
}

export interface RedisRelay extends Relay {
  /** The publishing connection; other short commands may share it (the rate limiter does). */
  readonly redis: Redis;
  /** Resolves once both connections are up; rejects after `timeoutMs`. */
  whenReady(timeoutMs?: number): Promise<void>;
}

/**
 * `<name>-<pid>-<random>`: the name (default: the hostname) is for people reading logs; the random
 * part keeps ids unique when names are not (two containers with one hostname, a reused REPLICA_ID).
 */
export function makeReplicaId(name: string = hostname()): string {
  return `${name}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^\w.-]/g, '_');
}

export function createRedisRelay(opts: RedisRelayOptions): RedisRelay {
  const { logger } = opts;
  const replicaId = opts.replicaId ?? makeReplicaId();
  const prefix = opts.prefix ?? 'dboard:';
  const docPrefix = `${prefix}doc:`;
  const accessChannel = `${prefix}access`;
  const subscribeTimeoutMs = opts.subscribeTimeoutMs ?? 2000;
  const maxDelay = opts.maxReconnectDelayMs ?? 1000;
  const base: RedisOptions = {
    retryStrategy: (times) => Math.min(times * 50, maxDelay),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: `dboard-relay-${replicaId}`.replace(/[^\w.-]/g, '_'),
  };
  const pub = new Redis(opts.url, { ...base, commandTimeout: 2000 });
  const sub = new Redis(opts.url, { ...base, autoResubscribe: false });
  const log = logger.child({ component: 'relay', replicaId });

  const docChannels = new Set<string>();
  const queuedAccess: Buffer[] = [];
  let handlers: RelayHandlers | null = null;
  let closed = false;
  /** Messages not published: since the last reconnection (logged then), and since start (metrics). */
  let dropped = 0;
  let droppedTotal = 0;
  const drop = () => {
    dropped++;
    droppedTotal++;
  };

  for (const [name, conn] of [
    ['publisher', pub],
    ['subscriber', sub],
  ] as const) {
    let up = false;
    conn.on('ready', () => {
      up = true;
      log.info({ connection: name }, 'relay connected to Redis');
    });
    conn.on('close', () => {
      if (up && !closed) log.warn({ connection: name }, 'relay lost Redis; the database carries updates until it is back');
      up = false;
    });
    // ioredis reports every failed reconnection attempt; the close above already said it.
    conn.on('error', (err) => log.debug({ connection: name, err: String(err) }, 'redis error'));
  }

  pub.on('ready', () => {
    if (dropped > 0) log.info({ dropped }, 'relay messages dropped while Redis was away (caught up from the database)');
    dropped = 0;
    for (const msg of queuedAccess.splice(0)) sendRaw(accessChannel, msg, true);
  });

  sub.on('ready', () => {
    sub.subscribe(accessChannel, ...docChannels).then(
      () => {
        if (!closed) handlers?.resync();
      },
      (err) => log.warn({ err: String(err) }, 'relay could not subscribe; retrying on reconnect'),
    );
  });

  sub.on('messageBuffer', (channelBuf: Buffer, message: Buffer) => {
    if (!handlers || closed) return;
    const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
    let msg: RelayMessage;
    try {
      if (relayMessageSender(bytes) === replicaId) return; // our own echo
      msg = decodeRelayMessage(bytes);
    } catch (err) {
      log.warn({ err: String(err) }, 'dropped an undecodable relay message');
      return;
    }
    const channel = channelBuf.toString();
    if (channel === accessChannel) {
      if (msg.kind === 'access') handlers.access(msg.boardId, msg.userId, msg.role);
      else if (msg.kind === 'session-ended') handlers.sessionEnded?.(msg.sessionId);
      return;
    }
    if (!channel.startsWith(docPrefix)) return;
    const docName = channel.slice(docPrefix.length);
    if (msg.kind === 'updates') handlers.updates(docName, msg.updates, msg.seqs);
    else if (msg.kind === 'awareness') handlers.awareness(docName, msg.update);
    else if (msg.kind === 'awareness-query') handlers.awarenessQuery(docName);
  });

  /** Resolves when Redis has answered the publish (or it was queued or dropped); never rejects. */
  function sendRaw(channel: string, payload: Buffer, isAccess: boolean): Promise<void> {
    if (pub.status !== 'ready') {
      if (isAccess && queuedAccess.length < MAX_QUEUED_ACCESS) queuedAccess.push(payload);
      else drop();
      return Promise.resolve();
    }
    return pub.publish(channel, payload).then(
      () => undefined,
      (err) => {
        if (isAccess && queuedAccess.length < MAX_QUEUED_ACCESS) queuedAccess.push(payload);
        else drop();
        log.debug({ err: String(err) }, 'relay publish failed');
      },
    );
  }

  function publish(channel: string, msg: RelayMessage): Promise<void> {
    if (closed) return Promise.resolve();
    const bytes = encodeRelayMessage(msg);
    const queueable = msg.kind === 'access' || msg.kind === 'session-ended';
    return sendRaw(channel, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), queueable);
  }

  return {
    replicaId,
    redis: pub,

    start(h) {
      if (handlers) throw new Error('relay already started');
      handlers = h;
    },

    subscribe(docName) {
      const channel = docPrefix + docName;
      docChannels.add(channel);
      if (sub.status !== 'ready') return Promise.resolve();
      return withTimeout(sub.subscribe(channel), subscribeTimeoutMs).then(
        () => undefined,
        (err) => log.debug({ err: String(err), docName }, 'subscribe did not complete; the next resync covers it'),
      );
    },

    unsubscribe(docName) {
      const channel = docPrefix + docName;
      if (!docChannels.delete(channel)) return;
      if (sub.status === 'ready') sub.unsubscribe(channel).catch(() => {});
    },

    publishUpdates(docName, updates, seqs) {
      publish(docPrefix + docName, { kind: 'updates', from: replicaId, updates, seqs });
    },

    publishAwareness(docName, update) {
      publish(docPrefix + docName, { kind: 'awareness', from: replicaId, update });
    },

    queryAwareness(docName) {
      publish(docPrefix + docName, { kind: 'awareness-query', from: replicaId });
    },

    publishAccess(boardId: string, userId: string, role: Role | null) {
      publish(accessChannel, { kind: 'access', from: replicaId, boardId, userId, role });
    },

    publishSessionEnded(sessionId: string) {
      // Redis answers a PUBLISH once it has written the message to every subscriber's connection,
      // so the sign-out answered after this has reached the other replicas before any write its
      // client sends next. Bounded: a stalled Redis must not hold up signing out.
      return withTimeout(publish(accessChannel, { kind: 'session-ended', from: replicaId, sessionId }), subscribeTimeoutMs).catch(() => undefined);
    },

    isReady() {
      return !closed && pub.status === 'ready' && sub.status === 'ready';
    },

    droppedCount() {
      return droppedTotal;
    },

    whenReady(timeoutMs = 5000) {
      const both = Promise.all([pub, sub].map((c) => (c.status === 'ready' ? undefined : new Promise<void>((resolve) => c.once('ready', () => resolve())))));
      return withTimeout(both, timeoutMs, `Redis at ${redactUrl(opts.url)} not reachable within ${timeoutMs} ms`).then(() => undefined);
    },

    async close() {
      if (closed) return;
      closed = true;
      // QUIT is sent after the commands already written, so every publish made so far goes out.
      await Promise.all([pub, sub].map((c) => (c.status === 'ready' ? withTimeout(c.quit(), 2000).catch(() => c.disconnect()) : c.disconnect())));
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, message = `timed out after ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
