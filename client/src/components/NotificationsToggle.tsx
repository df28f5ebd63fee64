/**
 * "Turn on notifications": asks the browser for permission to show system notifications (a card
 * of mine claimed or delivered, a card I hold changed or cancelled, a card assigned to me). Shown
 * only while the choice is still open; in-app toasts work either way.
 */
import { createSignal, Show } from 'solid-js';
import { notificationPermission, requestNotifications } from '../lib/showNotifications.ts';

export function NotificationsToggle() {
  const [permission, setPermission] = createSignal(notificationPermission());
  return (
    <Show when={permission() === 'default'}>
      <button type="button" class="link-button notifications-toggle" data-testid="enable-notifications" title="Turn on browser notifications for this device" onClick={async () => setPermission(await requestNotifications())}>
        Notify me
      </button>
    </Show>
  );
}
