/**
 * A tiny History-API router: the current path and query as signals, `navigate`, and path matching.
 * The app is served from `/` with an SPA fallback on the server, so every client path is a real URL
 * (shareable invite links, back button closes the card editor on a phone).
 */
import { createContext, createSignal, onCleanup, useContext, type Accessor } from 'solid-js';

export interface NavigateOptions {
  /** Replace the current history entry instead of pushing one. */
  replace?: boolean;
  /** Keep the scroll position (for in-page changes like opening a card). Default: scroll to top. */
  keepScroll?: boolean;
}

export interface Router {
  /** The current pathname, e.g. `/b/abc`. */
  path: Accessor<string>;
  /** The current query string including `?`, or ''. */
  search: Accessor<string>;
  /** A query parameter of the current URL (reactive). */
  query(name: string): string | null;
  navigate(to: string, opts?: NavigateOptions): void;
}

/** Creates the router for `window`; its popstate listener is removed with the owner. */
export function createRouter(win: Window = window): Router {
  const [loc, setLoc] = createSignal({ path: win.location.pathname, search: win.location.search });
  const sync = () => setLoc({ path: win.location.pathname, search: win.location.search });
  win.addEventListener('popstate', sync);
  onCleanup(() => win.removeEventListener('popstate', sync));

  return {
    path: () => loc().path,
    search: () => loc().search,
    query: (name) => new URLSearchParams(loc().search).get(name),
    navigate(to, opts = {}) {
      const url = new URL(to, win.location.href);
      if (url.origin !== win.location.origin) {
        win.location.assign(url.href);
        return;
      }
      const target = url.pathname + url.search + url.hash;
      const current = win.location.pathname + win.location.search + win.location.hash;
      if (target !== current) {
        if (opts.replace) win.history.replaceState(null, '', target);
        else win.history.pushState(null, '', target);
      }
      sync();
      if (!opts.keepScroll) win.scrollTo(0, 0);
    },
  };
}

export const RouterContext = createContext<Router>();

/** The router provided by an enclosing `<RouterContext.Provider>`. */
export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter() needs a <RouterContext.Provider> above it');
  return router;
}

/**
 * Matches `path` against a pattern like `/b/:boardId/members`; returns the decoded params, or null.
 * A trailing slash is ignored.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const split = (p: string) => p.split('/').filter(Boolean);
  const want = split(pattern);
  const got = split(path);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null; // malformed %-escape: no route matches
      }
    } else if (w !== got[i]) {
      return null;
    }
  }
  return params;
}

/**
 * A `next=` redirect target made safe: only same-origin absolute paths pass ('/x', not '//evil' or
 * 'https://evil'), anything else becomes '/'.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

/** `/login?next=<here>` style link helper. */
export function withNext(path: string, next: string): string {
  return next && next !== '/' ? `${path}?next=${encodeURIComponent(next)}` : path;
}
