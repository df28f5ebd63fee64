/** The banner shown once the server has closed the board's connection for good (4401, 4403, 4404...). */
import { Show } from 'solid-js';
import { useRouter, withNext } from '../lib/router.ts';
import { Link } from './Link.tsx';

const CLOSE_MESSAGES: Record<number, string> = {
  4401: 'Your session has ended, so changes are no longer shared.',
  4403: 'You no longer have access to this board.',
  4404: 'This board no longer exists.',
  4413: 'Your last change was too large to save, so changes are no longer shared.',
};
/** 4413 with this reason: the board document reached its size limit (MAX_DOC_BYTES). */
const DOCUMENT_FULL =
  'This board is full: your last change could not be saved, so changes are no longer shared. A coordinator can make room by deleting finished cards; then reload the page.';

const messageFor = (closed: { code: number; reason: string }) =>
  closed.code === 4413 && closed.reason === 'document full' ? DOCUMENT_FULL : (CLOSE_MESSAGES[closed.code] ?? 'The server closed the connection.');

export function SyncClosedBanner(props: { closed: { code: number; reason: string } | null }) {
  const router = useRouter();
  return (
    <Show when={props.closed}>
      {(closed) => (
        <div class="banner banner-error board-banner" role="alert" data-testid="sync-closed">
          {messageFor(closed())}{' '}
          <Show when={closed().code === 4401} fallback={<Link href="/">Back to your boards</Link>}>
            <Link href={withNext('/login', router.path() + router.search())}>Sign in again</Link>
          </Show>
        </div>
      )}
    </Show>
  );
}
