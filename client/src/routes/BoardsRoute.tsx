/** `/`: the boards the user belongs to, and a form to create a new one (the creator becomes its coordinator). */
import { createSignal, For, onMount, Show } from 'solid-js';
import { createBoardBody } from '@delivery-board/schema/validators';
import { errorMessage } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { useRouter } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { validate } from '../lib/validate.ts';
import { AppHeader } from '../components/AppHeader.tsx';
import { RoleBadge } from '../components/Badges.tsx';
import { describedBy, Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { Link } from '../components/Link.tsx';

export function BoardsRoute() {
  const api = useApi();
  const session = useSession();
  const router = useRouter();
  const [name, setName] = createSignal('');
  const [fieldError, setFieldError] = createSignal<string | null>(null);
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  onMount(() => {
    document.title = 'Your boards · Delivery Board';
    // The list may have changed since sign-in (an invite accepted in another tab).
    void session.refresh();
  });

  const sortedBoards = () => [...session.boards()].sort((a, b) => a.name.localeCompare(b.name));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFormError(null);
    const checked = validate(createBoardBody, { name: name() });
    if (!checked.ok) {
      setFieldError(checked.errors.name ?? 'Check the board name');
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      const board = await api.createBoard(checked.data.name);
      await session.refresh();
      router.navigate(`/b/${encodeURIComponent(board.id)}`);
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <AppHeader />
      <main class="page">
        <h1 class="page-title">Your boards</h1>
        <Show
          when={session.boards().length > 0}
          fallback={
            <div class="empty" data-testid="boards-empty">
              <p class="empty-title">You're not on any board yet.</p>
              <p>Create one below, or ask a coordinator to send you an invite link.</p>
            </div>
          }
        >
          <ul class="board-list-grid" data-testid="board-list">
            <For each={sortedBoards()}>
              {(board) => (
                <li>
                  <Link href={`/b/${encodeURIComponent(board.id)}`} class="board-tile" data-testid="board-item" data-board-id={board.id}>
                    <span class="board-tile-name">{board.name}</span>
                    <RoleBadge role={board.role} />
                  </Link>
                </li>
              )}
            </For>
          </ul>
        </Show>

        <section class="panel create-board" aria-labelledby="create-board-heading">
          <h2 id="create-board-heading">Create a board</h2>
          <p class="muted">One board per group or project. You'll be its coordinator and can invite others.</p>
          <form onSubmit={submit} novalidate class="inline-form">
            <Field id="board-name-input" label="Board name" error={fieldError()}>
              <input
                id="board-name-input"
                data-testid="board-name-input"
                type="text"
                autocomplete="off"
                maxLength={120}
                placeholder="e.g. Northside Food Bank"
                value={name()}
                onInput={(e) => setName(e.currentTarget.value)}
                aria-invalid={fieldError() ? true : undefined}
                aria-describedby={describedBy('board-name-input')}
              />
            </Field>
            <button type="submit" class="btn btn-primary" data-testid="create-board" disabled={busy()}>
              {busy() ? 'Creating…' : 'Create board'}
            </button>
          </form>
          <FormError message={formError()} />
        </section>
      </main>
    </>
  );
}
