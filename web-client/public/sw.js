// Parley's service worker: a Web Push only wakes this device (its payload is {"kind":"wake"},
// never a sender or content), so it shows one content-free "New message" notification, replacing
// the previous one, and a click focuses the open app or opens it. The app fetches the messages
// itself when it connects.
const TAG = 'parley-wake';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  event.waitUntil(self.registration.showNotification('New message', {
    tag: TAG,
    renotify: true,
    body: 'Open Parley to read it.',
    data: { url: self.registration.scope },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || self.registration.scope;
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => w.url.startsWith(self.registration.scope));
    return open !== undefined ? open.focus() : self.clients.openWindow(url);
  }));
});
