"""Pledges: a partner unit creates and reads its own; the county reads every one.

Creating goes through ``services.pledges.pledges.create_pledge`` like the web form, so stock, limits and the
budget are checked the same way. A card pledge waits for payment, which stays on the pledge's web page.
"""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from courtyard.access import pledge_in_scope, pledges_visible_to
from courtyard.api.paging import paged
from courtyard.api.routes import api_route, page_of, ref
from courtyard.api.shapes import pledge_json
from courtyard.models import CampaignPackage, Pledge, PledgeLine
from courtyard.models.types import utcnow
from courtyard.services.pledges.pledges import LineInput, create_pledge
from courtyard.web.api_errors import FieldErrors

MAX_LINES = 50
MAX_ID = 2**31 - 1


@api_route("/pledges", summary="Your unit's pledges (the county: all)", returns=page_of("Pledge"), tag="pledges",
           roles=("county", "partner"))
def pledge_list():
    return paged(pledges_visible_to(current_user).order_by(Pledge.created_at.desc(), Pledge.id.desc()).options(
        selectinload(Pledge.lines).options(joinedload(PledgeLine.offer).joinedload(CampaignPackage.package),
                                           joinedload(PledgeLine.address))), pledge_json)


@api_route("/pledges/<int:pledge_id>", summary="One pledge with its lines", returns=ref("Pledge"), tag="pledges",
           roles=("county", "partner"))
def pledge_detail(pledge_id):
    return pledge_json(pledge_in_scope(pledge_id))


@api_route("/pledges", method="POST", summary="Pledge packages for your unit", returns=ref("Pledge"), tag="pledges",
           roles=("partner",), status=201, body="NewPledge")
def pledge_create():
    campaign_id, method, lines = read_new_pledge(request.get_json(silent=True))
    pledge = create_pledge(current_user, current_user.partner_unit_id, campaign_id, lines, method, utcnow())
    return pledge_json(pledge), 201


def read_new_pledge(body):
    """``(campaign_id, method, lines)`` from the request body, or FieldErrors naming each bad field."""
    if not isinstance(body, dict):
        raise FieldErrors({"body": _("Send a JSON object.")}, status=400)
    errors = {}
    campaign_id = body.get("campaign_id")
    if not _whole(campaign_id, 1, MAX_ID):
        errors["campaign_id"] = _("Give the campaign's id.")
    method = body.get("method")
    if method not in ("transfer", "card"):
        errors["method"] = _("Choose card or bank transfer.")
    raw_lines = body.get("lines")
    lines = []
    if not isinstance(raw_lines, list) or not 1 <= len(raw_lines) <= MAX_LINES:
        errors["lines"] = _("Give from 1 to %(n)s lines.", n=MAX_LINES)
    else:
        for number, line in enumerate(raw_lines):
            if not (isinstance(line, dict) and _whole(line.get("offer_id"), 1, MAX_ID)
                    and _whole(line.get("address_id"), 1, MAX_ID) and _whole(line.get("quantity"), 1, 10000)):
                errors[f"lines[{number}]"] = _("Each line needs offer_id, address_id and a quantity from 1 to 10000.")
                continue
            lines.append(LineInput(line["offer_id"], line["address_id"], line["quantity"]))
    if errors:
        raise FieldErrors(errors)
    return campaign_id, method, lines


def _whole(value, smallest, largest):
    return isinstance(value, int) and not isinstance(value, bool) and smallest <= value <= largest
