"""API test helpers: a token for any user, and headers that carry it."""

import pytest

from courtyard.extensions import db
from courtyard.models import User
from courtyard.models.types import utcnow
from courtyard.services.identity.api_tokens import create_token


@pytest.fixture
def token_for(app):
    """``token_for(user)`` → a fresh bearer secret for that user (made through the service)."""

    def make_token(user, name="test"):
        with app.app_context():
            _token, secret = create_token(db.session.get(User, user.id), name, utcnow())
            return secret

    return make_token


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}
