"""Campaigns with their offers, and the package catalogue (read only, every role)."""

from flask_login import current_user

from courtyard.access import campaign_in_scope, campaigns_visible_to, packages_visible_to
from courtyard.api.paging import paged
from courtyard.api.routes import api_route, page_of, ref
from courtyard.api.shapes import campaign_json, package_json
from courtyard.models import Campaign, Package


@api_route("/campaigns", summary="Campaigns you may see (the county: drafts too)", returns=page_of("Campaign"),
           tag="campaigns")
def campaign_list():
    return paged(campaigns_visible_to(current_user).order_by(Campaign.opens_at.desc(), Campaign.id.desc()),
                 campaign_json)


@api_route("/campaigns/<int:campaign_id>", summary="A campaign with the packages it offers", returns=ref("Campaign"),
           tag="campaigns")
def campaign_detail(campaign_id):
    return campaign_json(campaign_in_scope(campaign_id), with_offers=True)


@api_route("/packages", summary="Packages in the catalogue (the county: retired ones too)", returns=page_of("Package"),
           tag="campaigns")
def package_list():
    return paged(packages_visible_to(current_user).order_by(Package.name, Package.id), package_json)
