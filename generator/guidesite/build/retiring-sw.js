/*
 * Published as sw.js when the site's offline mode is switched off (`offline: false` under
 * `- guidesite:` in mkdocs.yml). Browsers that installed the earlier service worker fetch
 * this one on their next visit; it takes over at once, deletes the site's caches,
 * unregisters itself and reloads open pages, which then come from the server again.
 */
self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const scope = self.registration.scope;
      for (const name of await caches.keys()) {
        // Workbox names its caches after the registration scope: only this site's go.
        if (name.endsWith(scope)) await caches.delete(name);
      }
      await self.registration.unregister();
      for (const client of await self.clients.matchAll({ type: "window" })) {
        client.navigate(client.url);
      }
    })(),
  );
});
