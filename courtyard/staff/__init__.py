"""A unit's staff member (职工): signs in by text code, chooses their own packages in the unit's staff offer."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from courtyard.staff import sign_in, views  # noqa: E402,F401
