"""Short-lived, per-process caches for the pages that are read far more often than they change.

``remembered(name, key, seconds, compute)`` keeps ``compute()``'s result for ``seconds`` in this worker
process (each gunicorn worker has its own); with ``seconds`` 0 (the test configuration) nothing is kept.

Public pages: a view marked :func:`anonymous_page` says to visitors who are not logged in that its
page may be kept ``PUBLIC_PAGE_CACHE_SECONDS`` (``Cache-Control: public``), and
:class:`PublicPageCache`, in front of the whole app, then answers the same request from a visitor
without any cookie straight from memory for that long, before Flask, the session or the database are
touched. Only pages so marked are kept (not photos or other files that say ``public`` too). Anyone with a cookie (logged in, a language chosen, a message waiting) gets a fresh page.
"""

import time
from functools import wraps

from flask import current_app, make_response, session

MAX_ENTRIES = 500  # per cache; past this, the cache starts afresh
MARK = "X-Courtyard-Page-Cache"  # set by anonymous_page, removed by PublicPageCache: only marked pages are kept


def _cache(app, name):
    return app.extensions.setdefault("short_cache", {}).setdefault(name, {})


def _kept(cache, key):
    hit = cache.get(key)
    return hit[1] if hit is not None and hit[0] > time.monotonic() else None


def _keep(cache, key, seconds, value):
    if len(cache) >= MAX_ENTRIES:
        cache.clear()
    cache[key] = (time.monotonic() + seconds, value)


def remembered(name, key, seconds, compute):
    """``compute()``, or its result from the last ``seconds`` in this process."""
    if seconds <= 0:
        return compute()
    cache = _cache(current_app, name)
    value = _kept(cache, key)
    if value is None:
        value = compute()
        _keep(cache, key, seconds, value)
    return value


def anonymous_page(view):
    """Mark a public view's page as one that may be kept for visitors who are not logged in."""

    @wraps(view)
    def marked(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        seconds = current_app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 0)
        if seconds > 0 and response.status_code == 200 and "_user_id" not in session:
            response.headers["Cache-Control"] = f"public, max-age={seconds}"
            response.headers[MARK] = "1"
            response.vary.add("Cookie")
        return response

    return marked


class PublicPageCache:
    """WSGI middleware: a GET without cookies for a page marked public is answered from memory while fresh."""

    def __init__(self, wsgi_app, app):
        self.wsgi_app, self.app = wsgi_app, app

    def __call__(self, environ, start_response):
        seconds = self.app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 0)
        eligible = seconds > 0 and environ.get("REQUEST_METHOD") == "GET" and not environ.get("HTTP_COOKIE") \
            and not environ.get("HTTP_AUTHORIZATION")
        cache = _cache(self.app, "public_pages")
        key = environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
        kept = _kept(cache, key) if eligible else None
        if kept is not None:
            status, headers, body = kept
            start_response(status, list(headers))
            return [body]
        captured = {}

        def capture(status, headers, exc_info=None):
            shown = [(name, value) for name, value in headers if name.lower() != MARK.lower()]
            captured.update(status=status, headers=shown, marked=len(shown) != len(headers),
                            cookie=any(name.lower() == "set-cookie" for name, _value in shown))
            return start_response(status, shown, exc_info)

        chunks = self.wsgi_app(environ, capture)
        if not eligible or not captured.get("marked") or captured["cookie"] or not captured["status"].startswith("200"):
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        _keep(cache, key, seconds, (captured["status"], tuple(captured["headers"]), body))
        return [body]
