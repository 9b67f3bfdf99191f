"""Logging in and out: staff by username and password, households by phone and PIN."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from courtyard.auth import api_tokens, views  # noqa: E402,F401
