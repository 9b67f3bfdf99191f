"""Security headers on every response, including a CSP with no inline code (and HSTS in production).

The one script not served from ``static/`` is Stripe.js (``STRIPE_JS_URL``: Stripe's own in live mode,
localstripe's stand-in in development and tests): the CSP lets in scripts from exactly that origin,
the card field's frames from it and from Stripe's 3-D Secure pages, and the browser's calls to it and
to Stripe's API, and nothing else.
"""

from functools import lru_cache
from urllib.parse import urlsplit

STRIPE_FRAMES = "https://hooks.stripe.com"  # Stripe's 3-D Secure pages (the card field's frame is the script's origin)
STRIPE_BROWSER_API = "https://api.stripe.com"  # where Stripe.js sends the card (localstripe's stand-in: its own origin)


def origin(url):
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=4)
def content_security_policy(stripe_js_url):
    """The CSP for an app whose Stripe.js comes from ``stripe_js_url``."""
    stripe = origin(stripe_js_url)
    return (
        f"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' {stripe}; "
        f"connect-src 'self' {stripe} {STRIPE_BROWSER_API}; frame-src {stripe} {STRIPE_FRAMES}; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def init_app(app):
    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy(app.config["STRIPE_JS_URL"]))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("PRODUCTION"):  # browsers then never try plain http for this host again
            response.headers.setdefault("Strict-Transport-Security",
                                        f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains")
        return response
