/* Courtyard field service worker: the collection-day and capacity pages and their static files answer
   from the phone's cache when there is no signal. Pages: network first, the cache when offline.
   Static files: the cache first, refreshed behind. Nothing but GET is touched; the field pages add what to keep. */
'use strict';
var CACHE = 'courtyard-field-v1';

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });

function fromNetwork(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === 'basic') {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) { return; }
  var isPage = request.mode === 'navigate' && /^\/team\/(collection|supply)(\/|$)/.test(url.pathname);
  var isStatic = url.pathname.indexOf('/static/') === 0;
  if (isPage) {
    event.respondWith(fromNetwork(request).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (hit) {
        return hit || new Response('<!doctype html><meta charset="utf-8"><p>Offline / 没有信号</p>',
                                   { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      });
    }));
  } else if (isStatic) {
    event.respondWith(caches.match(request).then(function (hit) {
      if (hit) {  // answer at once, refresh the copy for next time
        event.waitUntil(fromNetwork(request).catch(function () {}));
        return hit;
      }
      return fromNetwork(request);
    }));
  }
});
