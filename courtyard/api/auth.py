"""Bearer-token authentication and the per-token rate limit, for every API view but the document."""

import hashlib

from flask import current_app, g, request

from courtyard.api import bp
from courtyard.api.errors import error_response
from courtyard.extensions import limiter
from courtyard.models.types import utcnow
from courtyard.services.api_tokens import user_for_secret

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
    user = user_for_secret(bearer_secret(), utcnow())
    if user is None:
        return error_response(401)
    g._login_user = user  # what flask_login's current_user reads; nothing is written to the session
    return None
