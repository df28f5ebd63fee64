/**
 * Browser notifications (opt-in: the user grants permission from the board toolbar). Shown only
 * while the page is hidden; in front of the user the in-app toast says the same. Goes through the
 * service worker where there is one (Android Chrome allows no `new Notification()`), so a click
 * opens the card (client/serviceWorker/sw.js `notificationclick`).
 */
import type { Notice } from './notifications.ts';

export type NotifyPermission = 'unsupported' | NotificationPermission;

export function notificationPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission (must be called from a click). */
export async function requestNotifications(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Shows `notice` as a system notification when allowed and the page is hidden; returns whether it did. */
export async function showBrowserNotification(notice: Notice, url: string): Promise<boolean> {
  if (notificationPermission() !== 'granted' || document.visibilityState === 'visible') return false;
  const options: NotificationOptions = { body: notice.body, tag: notice.key, data: { url } };
  try {
    const reg = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
    if (reg) {
      await reg.showNotification(notice.title, options);
      return true;
    }
    new Notification(notice.title, options);
    return true;
  } catch {
    return false;
  }
}
