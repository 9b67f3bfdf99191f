"""Personal API tokens: made on the tokens page, shown once, kept as a digest, revocable.

A token is ``cyt_`` and 32 random bytes (URL-safe base64). Only its SHA-256 digest is stored, so a
copy of the database does not let anyone call the API; the first characters are kept as a hint so
the user can tell their tokens apart. Using a token records when it was last used (at most once a
minute, so reading the API does not write on every request).
"""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import ApiToken, User
from courtyard.services.operations.audit import record

PREFIX = "cyt_"
TOKEN_BYTES = 32
HINT_LENGTH = len(PREFIX) + 6
MAX_ACTIVE = 20
MAX_LENGTH = 100
LAST_USED_STEP = timedelta(minutes=1)


def digest_of(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user):
    """The user's tokens, newest first, revoked ones too."""
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()


def create_token(user, name, now):
    """A new token for ``user``; returns ``(token, secret)``. The secret is not kept and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Give the token a name, e.g. the program that will use it."), "name")
    if len(name) > 60:
        raise DomainError(_l("The name is at most 60 characters."), "name")
    active = db.session.scalar(select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    if active >= MAX_ACTIVE:
        raise DomainError(_l("You have %(n)s tokens already; revoke one you no longer use first.", n=active), "name")
    secret = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(user_id=user.id, name=name, hint=secret[:HINT_LENGTH], digest=digest_of(secret), created_at=now)
    db.session.add(token)
    db.session.flush()
    record(user, "api_token_created", "api_token", token.id, name=name)
    db.session.commit()
    return token, secret


def revoke(user, token, now):
    """Stop ``token`` working at once; revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = now
        record(user, "api_token_revoked", "api_token", token.id, name=token.name)
        db.session.commit()


def user_for_secret(secret, now):
    """The active, unlocked user a live token belongs to, else None; notes when the token was used."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > MAX_LENGTH:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest_of(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = db.session.get(User, token.user_id)
    if user is None or not user.active or user.locked:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        token.last_used_at = now
        db.session.commit()
    return user
