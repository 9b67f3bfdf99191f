"""Column types: UTC timestamps and encrypted sensitive numbers."""

import base64
import hashlib
import hmac
from datetime import datetime, timezone
from functools import lru_cache

from cryptography.fernet import Fernet
from flask import current_app
from sqlalchemy import DateTime, String, types


class UTCDateTime(types.TypeDecorator):
    """Stores naive UTC, returns aware UTC; refuses naive datetimes on the way in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC time")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def utcnow():
    return datetime.now(timezone.utc)


def _key_material():
    return (current_app.config.get("DATA_KEY") or current_app.config["SECRET_KEY"]).encode()


def _fernet():
    return fernet_for(_key_material())


@lru_cache(maxsize=8)
def fernet_for(key_material):
    """The Fernet object of a key, built once per key (per process), not once per value."""
    digest = hashlib.sha256(b"courtyard-data-key:" + key_material).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def blind_index(value):
    """A keyed digest of a sensitive number, to find duplicates without decrypting."""
    if not value:
        return None
    return hmac.new(b"courtyard-index:" + _key_material(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedString(types.TypeDecorator):
    """A string encrypted at rest (Fernet, key from ``DATA_KEY`` or ``SECRET_KEY``)."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return _fernet().encrypt(value.encode()).decode()

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return _fernet().decrypt(value.encode()).decode()
