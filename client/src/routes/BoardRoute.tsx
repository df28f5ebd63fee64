/**
 * `/b/:boardId`: the board's name and the user's role, then the live board. It starts from the
 * board as last seen in the session cache (so the device copy opens at once, and without a
 * network), and takes the server's answer when it comes.
 */
import { createEffect, createResource, Match, Show, Switch, untrack } from 'solid-js';
import { ApiError, errorMessage, type BoardInfo } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { useSession } from '../lib/session.ts';
import { AppHeader } from '../components/AppHeader.tsx';
import { BoardView } from '../components/BoardView.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';

/** The message for a board that cannot be opened. */
export function boardErrorMessage(err: unknown): string {
  if (err instanceof ApiError && err.status === 403) return 'You are not a member of this board. Ask one of its coordinators for an invite link.';
  if (err instanceof ApiError && err.status === 404) return 'This board does not exist. It may have been deleted, or the link is mistyped.';
  return errorMessage(err);
}

export function BoardRoute(props: { boardId: string }) {
  const api = useApi();
  const session = useSession();

  // The board as this device last saw it (session cache): shown at once, so the board opens from
  // IndexedDB while the server is asked; the answer then replaces it (or shows why it can't open).
  const cachedInfo = (id: string): BoardInfo | undefined => {
    const cached = session.boards().find((b) => b.id === id);
    return cached ? { board: { id, name: cached.name, createdAt: 0 }, role: cached.role } : undefined;
  };
  const [info, { refetch }] = createResource(
    () => props.boardId,
    async (id): Promise<BoardInfo> => {
      try {
        return await api.board(id);
      } catch (err) {
        const cached = cachedInfo(id);
        if (err instanceof ApiError && err.isNetwork && cached) return cached;
        throw err;
      }
    },
  );
  const current = (): BoardInfo | undefined => (info.error ? undefined : (info.latest ?? untrack(() => cachedInfo(props.boardId))));

  createEffect(() => {
    const name = current()?.board.name ?? null;
    document.title = name ? `${name} · Delivery Board` : 'Delivery Board';
  });

  return (
    <Switch>
      <Match when={info.error}>
        <AppHeader />
        <main class="page page-narrow">
          <div class="panel" data-testid="board-error">
            <h1>Can't open this board</h1>
            <p class="form-error" role="alert">
              {boardErrorMessage(info.error)}
            </p>
            <Link href="/" class="btn">
              Back to your boards
            </Link>
          </div>
        </main>
      </Match>
      <Match when={current()}>
        {(loaded) => (
          <>
            <AppHeader board={loaded().board} boardIsTitle />
            {/* Keyed on the board id so switching boards tears down the old doc and socket. */}
            <Show when={loaded().board.id} keyed>
              <BoardView board={loaded().board} role={loaded().role} onRoleChanged={() => void refetch()} />
            </Show>
          </>
        )}
      </Match>
      <Match when={true}>
        <AppHeader />
        <Loading />
      </Match>
    </Switch>
  );
}
