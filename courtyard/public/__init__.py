"""Pages anyone can open: the landing page, language switch, photos."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from courtyard.public import campaigns, integrity, notices, trace, villages, views, visits  # noqa: E402,F401
