"""The household (农户): big type, few words, only itself."""

from flask import Blueprint

from courtyard.access import role_required

bp = Blueprint("household", __name__, url_prefix="/household")


@bp.before_request
@role_required("household")
def _household_only():
    """Every page of this blueprint is for a logged-in household only."""


from courtyard.household import statement, trace, views  # noqa: E402,F401
