/**
 * The top bar on signed-in pages: app name (home link), the current board's name, who is signed in,
 * and Sign out. Also tells the user when what they see comes from the device cache. Its height
 * (which grows with a banner) is published as the CSS variable `--header-h`, so sticky panels and
 * scrolled-to elements sit below it.
 */
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { useIntentQueue } from '../lib/createIntentQueue.ts';
import { storedUnconfirmed } from '../lib/createDurableState.ts';
import { focusOnMount } from '../lib/focusOnMount.ts';
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

  const queue = useIntentQueue();
  /** Set while asking whether to sign out with this many changes not sent yet. */
  const [unsent, setUnsent] = createSignal(0);

  // Signing out forgets everything on this device (a shared phone must not keep the last person's
  // boards or send their queued claims), unsent changes included: so ask first when there are any.
  let signOutButton: HTMLButtonElement | undefined;
  const keepSignedIn = () => {
    setUnsent(0);
    signOutButton?.focus();
  };
  const askOrSignOut = () => {
    const n = queue.pending().length + storedUnconfirmed();
    if (n > 0) setUnsent(n);
    else void signOut();
  };

  // Never fails: offline, the login page then says the server will be told later.
  const signOut = async () => {
    setUnsent(0);
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
          <button type="button" class="btn btn-ghost btn-small" data-testid="sign-out" ref={signOutButton} disabled={busy()} onClick={askOrSignOut}>
            {busy() ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </div>
      <Show when={unsent() > 0}>
        <div class="banner banner-confirm" role="alertdialog" aria-labelledby="sign-out-question" data-testid="sign-out-confirm">
          <p id="sign-out-question">
            {unsent() === 1 ? '1 change on this device has' : `${unsent()} changes on this device have`} not reached the server yet. Signing out
            now discards {unsent() === 1 ? 'it' : 'them'}.
          </p>
          <div class="button-row">
            <button type="button" class="btn btn-small btn-danger" data-testid="sign-out-anyway" onClick={signOut}>
              Sign out anyway
            </button>
            {/* The safe answer has the focus: Enter keeps the changes. */}
            <button type="button" class="btn btn-small" data-testid="sign-out-keep" ref={focusOnMount} onClick={keepSignedIn}>
              Stay signed in
            </button>
          </div>
        </div>
      </Show>
      <Show when={session.offline()}>
        <p class="banner" data-testid="offline-banner">
          You're offline. Showing what is saved on this device; changes sync when you're back online.
        </p>
      </Show>
    </header>
  );
}
