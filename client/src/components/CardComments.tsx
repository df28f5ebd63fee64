/**
 * A card's comments: the discussion around one delivery ("buzzer broken, ring the neighbour",
 * "running 10 min late"), oldest first, live as anyone posts; and, for members who may write, a
 * box to add one and a Delete on their own (coordinators: on any). Comments live in the board
 * document, so posting works offline like any edit.
 * Someone else's new comment is announced politely to screen readers; nothing moves the focus.
 * A comment this device has not got to the server yet (posted offline) says "Not sent yet".
 */
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import type * as Y from 'yjs';
import { deleteComment, type CommentData } from '@delivery-board/schema/boardDoc';
import { formatWhen } from '../lib/bookingFormat.ts';
import { createComments } from '../lib/createComments.ts';
import { readCommentItemIds } from '../lib/readComments.ts';
import { minuteClock } from '../lib/minuteClock.ts';
import { COMMENT_MAX_LENGTH, postComment } from '../lib/postComment.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { describedBy, Field } from './Field.tsx';

/** The box shows how long the comment is from this length on. */
const COUNT_FROM = COMMENT_MAX_LENGTH * 0.9;

export interface CardCommentsProps {
  doc: Y.Doc;
  cardId: string;
  /** The signed-in member, the author of what they post. */
  user: { id: string; name: string } | null;
  /** False for viewers (and once the board can no longer be saved): they read, with no box. */
  canWrite: boolean;
  /**
   * Whether they may delete anyone's comment (coordinators); everyone who may write can delete
   * their own (a door code posted by mistake). The server enforces the same (sync/cardRemovals.ts).
   */
  canRemoveAny: boolean;
  /**
   * Whether this device made the item with that Yjs id and the server has not confirmed it
   * (createDurableState): a comment posted offline says "Not sent yet" until it is stored.
   */
  isUnsent?: (id: Y.ID) => boolean;
}

const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
/** An announcement reads the start of a long comment only; the list has all of it. */
const ANNOUNCED_CHARS = 160;

function announcementFor(fresh: readonly CommentData[]): string {
  if (fresh.length > 1) return `${fresh.length} new comments on this card`;
  const [c] = fresh;
  const text = c.text.length > ANNOUNCED_CHARS ? `${c.text.slice(0, ANNOUNCED_CHARS)}…` : c.text;
  return `${c.name || 'Someone'} commented: ${text}`;
}

/** Enough of a comment to tell its Delete button from the others': whose, and how it starts. */
const NAMED_CHARS = 40;

function deleteLabel(c: CommentData, mine: boolean): string {
  const text = c.text.replace(/\s+/g, ' ').trim();
  const start = text.length > NAMED_CHARS ? `${text.slice(0, NAMED_CHARS)}…` : text;
  return `Delete ${mine ? 'your' : `${c.name || 'someone'}’s`} comment “${start}”`;
}

export function CardComments(props: CardCommentsProps) {
  const comments = createComments(props.doc, () => props.cardId);
  const itemIds = createMemo(() => {
    comments();
    return readCommentItemIds(props.doc, props.cardId);
  });
  const unsent = (c: CommentData) => {
    const id = itemIds().get(c.id);
    return !!id && !!props.isUnsent?.(id);
  };
  const [draft, setDraft] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [announcement, setAnnouncement] = createSignal('');

  // Only comments that arrive while the card is open, and only others': the list already on screen
  // when it opens is read like any content, and one's own post needs no echo.
  let known = new Set(comments().map((c) => c.id));
  createEffect(
    on(
      comments,
      (list) => {
        const fresh = list.filter((c) => !known.has(c.id) && c.userId !== props.user?.id);
        known = new Set(list.map((c) => c.id));
        if (fresh.length) setAnnouncement(announcementFor(fresh));
      },
      { defer: true },
    ),
  );

  const submit = (e?: Event) => {
    e?.preventDefault();
    if (!props.user) return;
    const problem = postComment(props.doc, props.cardId, props.user, draft());
    setError(problem);
    if (!problem) setDraft('');
  };

  return (
    <section class="card-section comments-section" aria-labelledby="comments-heading" data-testid="card-comments">
      <h3 id="comments-heading">
        Comments
        <Show when={comments().length}>
          <span class="comments-count" data-testid="comments-count">
            {comments().length}
          </span>
        </Show>
      </h3>

      <Show when={comments().length} fallback={<p class="muted small" data-testid="comments-empty">No comments yet.</p>}>
        <ol class="comments" aria-label="Comments" data-testid="comment-list">
          <For each={comments()}>
            {(c) => (
              <li class="comment" classList={{ 'comment-mine': c.userId === props.user?.id }} data-testid="comment" data-comment-id={c.id}>
                <p class="comment-meta">
                  <span class="comment-author" data-testid="comment-author">
                    {c.name || 'Someone'}
                  </span>
                  <Show when={c.userId === props.user?.id}>
                    <span class="muted"> (you)</span>
                  </Show>
                  <span aria-hidden="true"> · </span>
                  <time class="comment-time" dateTime={new Date(c.at).toISOString()} title={fullFormat.format(c.at)}>
                    {formatWhen(c.at, minuteClock().getTime())}
                  </time>
                  <Show when={unsent(c)}>
                    <span
                      class="comment-unsent"
                      data-testid="comment-unsent"
                      title="Kept on this device. It goes to the board as soon as the connection is back."
                    >
                      Not sent yet
                    </span>
                  </Show>
                </p>
                <p class="comment-text" data-testid="comment-text">
                  {c.text}
                </p>
                <Show when={props.canWrite && (c.userId === props.user?.id || props.canRemoveAny)}>
                  <div class="comment-tools">
                    <ConfirmButton
                      label="Delete"
                      ariaLabel={deleteLabel(c, c.userId === props.user?.id)}
                      question="Delete this comment for everyone?"
                      confirmLabel="Delete"
                      keepLabel="Keep"
                      testid="comment-delete"
                      onConfirm={() => deleteComment(props.doc, props.cardId, c.id)}
                    />
                  </div>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>

      <span class="visually-hidden" role="status" aria-live="polite" data-testid="comments-announcer">
        {announcement()}
      </span>

      <Show when={props.canWrite && props.user}>
        <form class="comment-form" data-testid="comment-form" onSubmit={submit}>
          <Field
            id="card-comment"
            label="Add a comment"
            hint={
              <>
                Enter posts it; Shift+Enter starts a new line.
                {/* Near the cap, which otherwise just stops the typing without a word. */}
                <Show when={draft().length >= COUNT_FROM}>
                  {' '}
                  <span data-testid="comment-length">
                    {draft().length} of {COMMENT_MAX_LENGTH} characters.
                  </span>
                </Show>
              </>
            }
            error={error()}
          >
            <textarea
              id="card-comment"
              data-testid="comment-input"
              rows={2}
              maxLength={COMMENT_MAX_LENGTH}
              placeholder="e.g. Buzzer broken, ring the neighbour"
              aria-invalid={error() ? true : undefined}
              aria-describedby={describedBy('card-comment')}
              value={draft()}
              onInput={(e) => {
                setDraft(e.currentTarget.value);
                if (error()) setError(null);
              }}
              onKeyDown={(e) => {
                // Not while an input method is composing: its Enter picks a word, it does not send.
                if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
              }}
            />
          </Field>
          <div class="comment-actions">
            <button type="submit" class="btn btn-primary" data-testid="comment-submit">
              Post comment
            </button>
          </div>
        </form>
      </Show>
    </section>
  );
}
