"""Deliveries on the calendar: collection days for the village (team, households), deliveries with
their promised time for the unit, and both for the county."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from courtyard.access import collection_days_visible_to, deliveries_visible_to
from courtyard.calendar.sources import calendar_source
from courtyard.exports.ics import CalendarEvent
from courtyard.extensions import db
from courtyard.models import CampaignPackage, CollectionDay, Delivery, DeliveryRound

COLLECTION_HOURS = 3


@calendar_source
def collection_days(user, start, end):
    days = db.session.scalars(collection_days_visible_to(user).where(
        CollectionDay.starts_at >= start, CollectionDay.starts_at < end).order_by(CollectionDay.starts_at)
        .options(joinedload(CollectionDay.round).joinedload(DeliveryRound.offer).joinedload(CampaignPackage.package)))
    return [CalendarEvent(
        uid=f"collection-{day.id}@courtyard", kind="collection", starts_at=day.starts_at, location=day.place,
        title=_("Collection day: %(package)s, round %(n)s", package=day.round.offer.package.name, n=day.round.number),
        url=_collection_url(user, day)) for day in days]


@calendar_source
def deliveries(user, start, end):
    rows = db.session.scalars(deliveries_visible_to(user).where(
        Delivery.promised_by >= start, Delivery.promised_by < end).order_by(Delivery.promised_by)
        .options(joinedload(Delivery.round).joinedload(DeliveryRound.offer).joinedload(CampaignPackage.package),
                 joinedload(Delivery.address)))
    return [CalendarEvent(
        uid=f"delivery-{delivery.id}@courtyard", kind="delivery", starts_at=delivery.promised_by,
        location=delivery.address.address if delivery.address else "",
        title=_("Delivery due: %(package)s to %(place)s", package=delivery.round.offer.package.name,
                place=delivery.address.label if delivery.address else ""),
        url=url_for("county.delivery_detail" if user.role == "county" else "partner.delivery_detail",
                    delivery_id=delivery.id)) for delivery in rows]


def _collection_url(user, day):
    if user.role == "team":
        return url_for("team.collection_round", round_id=day.round_id)
    if user.role == "county":
        return url_for("county.round_detail", round_id=day.round_id)
    return url_for("household.home")
