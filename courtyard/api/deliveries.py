"""Deliveries: a partner unit its own, the county every one."""

from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from courtyard.access import deliveries_visible_to, delivery_in_scope
from courtyard.api.paging import paged
from courtyard.api.routes import api_route, page_of, ref
from courtyard.api.shapes import delivery_json
from courtyard.models import CampaignPackage, Delivery, DeliveryRound


@api_route("/deliveries", summary="Deliveries to your unit (the county: all)", returns=page_of("Delivery"),
           tag="deliveries", roles=("county", "partner"))
def delivery_list():
    return paged(deliveries_visible_to(current_user).order_by(Delivery.promised_by.desc(), Delivery.id.desc()).options(
        joinedload(Delivery.round).joinedload(DeliveryRound.offer).joinedload(CampaignPackage.package),
        joinedload(Delivery.address), selectinload(Delivery.boxes)), delivery_json)


@api_route("/deliveries/<int:delivery_id>", summary="One delivery with its boxes' trace codes", returns=ref("Delivery"),
           tag="deliveries", roles=("county", "partner"))
def delivery_detail(delivery_id):
    return delivery_json(delivery_in_scope(delivery_id))
