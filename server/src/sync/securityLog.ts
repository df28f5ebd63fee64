/**
 * What the sync server refused or changed in what members sent, for operators: each kind is
 * counted (read by /metrics) and logged as a `security.*` event. Honest clients whose copy went its
 * own way repeat such writes on every reconnect, so those are logged once a minute per member and
 * document; a write to the server-owned bookings document is a forgery and logged every time.
 */
import type { Logger } from 'pino';
import type { ConnectionInfo, DocKind } from './types.ts';

type Who = Pick<ConnectionInfo, 'kind' | 'userId' | 'docName'>;

export class SyncSecurityLog {
  /** Writes dropped on read-only connections since start, per document kind, logged or not. */
  readonly droppedWrites: Record<DocKind, number> = { board: 0, bookings: 0 };
  /** Updates from drivers or requesters that would have deleted cards or comments they may not (cardRemovals.ts). */
  refusedCardRemovals = 0;
  /** Updates with comments claiming another author, which were blanked (commentAuthors.ts). */
  forgedComments = 0;
  /** Cards created in another member's name (or none), whose creator the server set (cardCreators.ts). */
  forgedCardCreators = 0;
  private readonly warnedUntil = new Map<string, number>();

  constructor(private readonly logger: Logger) {}

  /** A write on a read-only connection (a viewer's; anyone's on the bookings document): dropped. */
  droppedWrite({ kind, userId, docName }: Who): void {
    this.droppedWrites[kind]++;
    if (kind === 'bookings') {
      this.logger.warn({ event: 'security.bookings_write_dropped', userId, doc: docName }, 'dropped client write to the bookings document');
      return;
    }
    this.warnOncePerMinute(`${docName}:${userId}`, { event: 'security.readonly_write_dropped', userId, doc: docName }, 'dropped write from read-only connection');
  }

  refusedRemoval({ userId, docName }: Who, cardIds: string[], whole: boolean): void {
    this.refusedCardRemovals++;
    this.warnOncePerMinute(`removal:${docName}:${userId}`, { event: 'security.card_removal_refused', userId, doc: docName, cardIds, whole }, 'refused to delete cards or comments this member may not delete');
  }

  forgedComment({ userId, docName }: Who, claimed: { userId: unknown }): void {
    this.forgedComments++;
    this.warnOncePerMinute(`comment:${docName}:${userId}`, { event: 'security.comment_author_forged', userId, doc: docName, claimedUserId: String(claimed.userId).slice(0, 64) }, "blanked comments written in another member's name");
  }

  forgedCardCreator({ userId, docName }: Who, claimed: unknown): void {
    this.forgedCardCreators++;
    this.warnOncePerMinute(`creator:${docName}:${userId}`, { event: 'security.card_creator_forged', userId, doc: docName, claimedUserId: String(claimed).slice(0, 64) }, 'set the creator of cards created in another name to the member who sent them');
  }

  private warnOncePerMinute(key: string, fields: Record<string, unknown>, message: string) {
    const now = Date.now();
    if ((this.warnedUntil.get(key) ?? 0) > now) return;
    this.warnedUntil.set(key, now + 60_000);
    this.logger.warn(fields, message);
  }
}
