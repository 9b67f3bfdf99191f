"""The cooperative or shop (合作社 / 网店 / 家庭农场): its members, declarations, allocations, statements."""

from flask import Blueprint

from courtyard.access import role_required

bp = Blueprint("cooperative", __name__, url_prefix="/coop")


@bp.before_request
@role_required("cooperative")
def _cooperative_only():
    """Every page of this blueprint is for cooperative users only."""


from courtyard.cooperative import collection, views  # noqa: E402,F401
