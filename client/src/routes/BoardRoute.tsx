/**
 * `/b/:boardId`: loads the board's name and the user's role, then mounts the live board. Without a
 * network it falls back to the board as last seen in the session cache, so the device copy opens.
 */
import { createEffect, createResource, Match, Show, Switch } from 'solid-js';
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

  const [info, { refetch }] = createResource(
    () => props.boardId,
    async (id): Promise<BoardInfo> => {
      try {
        return await api.board(id);
      } catch (err) {
        const cached = session.boards().find((b) => b.id === id);
        if (err instanceof ApiError && err.isNetwork && cached) {
          return { board: { id, name: cached.name, createdAt: 0 }, role: cached.role };
        }
        throw err;
      }
    },
  );

  createEffect(() => {
    const name = info.state === 'ready' ? info().board.name : null;
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
      <Match when={info.state === 'ready' && info()}>
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
