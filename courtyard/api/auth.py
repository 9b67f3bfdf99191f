"""Bearer-token authentication and the per-token rate limit, for every API view but the document.

Requests whose token is missing or wrong also count against their address
(``API_FAILED_AUTH_LIMIT``); past it the address gets 429 before any database lookup.
"""

import hashlib

from flask import current_app, g, request
from limits import parse

from courtyard.api import bp
from courtyard.extensions import limiter
from courtyard.models.types import utcnow
from courtyard.services.identity.api_tokens import user_for_secret
from courtyard.web.api_errors import error_response

PUBLIC_ENDPOINTS = ("api.openapi_document",)


def bearer_secret():
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def rate_limit_key():
    """Requests count against their token (by digest), or against the address when there is none."""
    secret = bearer_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    return "api-address:" + (request.remote_addr or "")


def rate_limit():
    return current_app.config.get("API_RATE_LIMIT", "300 per minute")


limiter.limit(rate_limit, key_func=rate_limit_key)(bp)


@bp.before_request
def authenticate():
    """The token's user becomes the current user for this request only; no session is made."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    failed, address = parse(current_app.config["API_FAILED_AUTH_LIMIT"]), request.remote_addr or ""
    if not limiter.limiter.test(failed, "api-failed-auth", address):  # guessing tokens: not even a lookup
        return error_response(429)
    user = user_for_secret(bearer_secret(), utcnow())
    if user is None:
        limiter.limiter.hit(failed, "api-failed-auth", address)
        return error_response(401)
    g._login_user = user  # what flask_login's current_user reads; nothing is written to the session
    return None
