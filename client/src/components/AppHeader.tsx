/**
 * The top bar on signed-in pages: app name (home link), the current board's name, who is signed in,
 * and Sign out. Also tells the user when what they see comes from the device cache. Its height
 * (which grows with a banner) is published as the CSS variable `--header-h`, so sticky panels and
 * scrolled-to elements sit below it.
 */
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { useRouter } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { Link } from './Link.tsx';

export interface AppHeaderProps {
  /** The board this page belongs to, shown after the app name. */
  board?: { id: string; name: string };
  /** Render the board name as the page's `<h1>` (the board view has no other title). */
  boardIsTitle?: boolean;
}

export function AppHeader(props: AppHeaderProps) {
  const session = useSession();
  const router = useRouter();
  const [busy, setBusy] = createSignal(false);
  let header: HTMLElement | undefined;
  onMount(() => {
    if (!header || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--header-h', `${Math.round(header!.getBoundingClientRect().height)}px`));
    observer.observe(header);
    onCleanup(() => observer.disconnect());
  });

  // Never fails: offline, the login page then says the server will be told later.
  const signOut = async () => {
    setBusy(true);
    await session.signOut();
    setBusy(false);
    router.navigate('/login', { replace: true });
  };

  return (
    <header class="app-header" ref={header}>
      <div class="app-header-inner">
        <nav class="crumbs" classList={{ 'has-board': !!props.board }} aria-label="Breadcrumb">
          <Link href="/" class="brand" data-testid="home-link" aria-label="Delivery Board: your boards">
            <span class="brand-mark" aria-hidden="true" />
            <span class="brand-name">Delivery Board</span>
          </Link>
          <Show when={props.board}>
            {(board) => (
              <>
                <span class="crumb-sep" aria-hidden="true">
                  /
                </span>
                <Show
                  when={props.boardIsTitle}
                  fallback={
                    <Link href={`/b/${encodeURIComponent(board().id)}`} class="crumb-board" data-testid="board-name">
                      {board().name}
                    </Link>
                  }
                >
                  <h1 class="crumb-board" data-testid="board-name">
                    {board().name}
                  </h1>
                </Show>
              </>
            )}
          </Show>
        </nav>
        <div class="account">
          <span class="account-name" data-testid="user-name" title={session.user()?.email}>
            {session.user()?.name}
          </span>
          <button type="button" class="btn btn-ghost btn-small" data-testid="sign-out" disabled={busy()} onClick={signOut}>
            {busy() ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </div>
      <Show when={session.offline()}>
        <p class="banner" data-testid="offline-banner">
          You're offline. Showing what is saved on this device; changes sync when you're back online.
        </p>
      </Show>
    </header>
  );
}
