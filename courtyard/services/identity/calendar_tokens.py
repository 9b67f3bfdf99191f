"""Secret calendar feed tokens: one per user, shown on the subscription page, replaceable at will.

The token is random (192 bits), kept encrypted so the page can show the URL again, and found by a
keyed digest (``blind_index``); the decrypted token is then compared in constant time. Making a
new token deletes the old one, so the old URL stops working at once.
"""

import hmac
import secrets

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import CalendarToken, User
from courtyard.models.types import blind_index
from courtyard.services.operations.audit import record

TOKEN_BYTES = 24


def _store(user, now):
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = db.session.get(CalendarToken, user.id)
    if row is None:
        row = CalendarToken(user_id=user.id)
        db.session.add(row)
    row.token, row.token_index, row.created_at = token, blind_index(token), now
    return token


def token_of(user, now):
    """``user``'s feed token, made on first use."""
    row = db.session.get(CalendarToken, user.id)
    if row is not None:
        return row.token
    token = _store(user, now)
    db.session.commit()
    return token


def regenerate(user, now):
    """A new feed token for ``user``; the old one stops working."""
    token = _store(user, now)
    record(user, "calendar_token_regenerated", "user", user.id)
    db.session.commit()
    return token


def user_for_token(token):
    """The active, unlocked user whose feed token this is, else None."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token_index == blind_index(token)))
    if row is None or not hmac.compare_digest(row.token.encode(), token.encode()):
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active or user.locked:
        return None
    return user
