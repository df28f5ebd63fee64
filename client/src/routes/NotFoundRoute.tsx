/** Any path the client does not know. */
import { onMount } from 'solid-js';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Link } from '../components/Link.tsx';

export function NotFoundRoute() {
  onMount(() => (document.title = 'Page not found · Delivery Board'));
  return (
    <AuthLayout title="Page not found" testid="not-found">
      <p class="muted">There is nothing at this address. The link may be mistyped or out of date.</p>
      <Link href="/" class="btn btn-primary btn-block">
        Go to your boards
      </Link>
    </AuthLayout>
  );
}
