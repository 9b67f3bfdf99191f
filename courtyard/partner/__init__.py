"""The partner unit (帮扶单位): its own unit's page."""

from flask import Blueprint

from courtyard.access import role_required

bp = Blueprint("partner", __name__, url_prefix="/partner")


@bp.before_request
@role_required("partner")
def _partner_only():
    """Every page of this blueprint is for partner-unit users only."""


from courtyard.partner import (card_payments, dashboard, deliveries, invoices, pledges, staff_handover,  # noqa: E402,F401
                               staff_offers, statement, views, visits)
