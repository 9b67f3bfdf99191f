"""Deliveries: scheduled → collected → packed → shipped → delivered → confirmed, against a promised time.

The county ships and marks delivered; the unit confirms receipt (which also marks it delivered if the
county had not). On time means delivered no later than promised.
"""

from typing import NamedTuple

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask import current_app

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import events as message_events
from courtyard.messages import outbox
from courtyard.services.operations import audit
from courtyard.text.formatting import local_time
from courtyard.text.masking import mask_name

# state -> (next state, timestamp column) for the county's steps
COUNTY_STEPS = {"packed": ("shipped", "shipped_at"), "shipped": ("delivered", "delivered_at")}
UPCOMING_STATES = ("scheduled", "collected", "packed", "shipped")


class OnTime(NamedTuple):
    on_time: int
    delivered: int

    @property
    def percent(self):
        """Whole percent delivered on time, or None when nothing is delivered yet."""
        return None if not self.delivered else round(100 * self.on_time / self.delivered)


def on_time_rate(deliveries):
    """How many of the delivered ``deliveries`` arrived by their promised time."""
    done = [d for d in deliveries if d.delivered_at is not None]
    return OnTime(sum(1 for d in done if d.on_time), len(done))


def on_time_rate_of(query):
    """:func:`on_time_rate` over every delivery a select of deliveries finds, in one query."""
    from sqlalchemy import case, func, select

    rows = query.order_by(None).subquery()
    on_time, delivered = db.session.execute(select(
        func.coalesce(func.sum(case((rows.c.delivered_at <= rows.c.promised_by, 1), else_=0)), 0),
        func.count(rows.c.delivered_at))).one()
    return OnTime(int(on_time), int(delivered))


def advance(actor, delivery, now):
    """The county's next step: a packed delivery is shipped, a shipped one delivered."""
    step = COUNTY_STEPS.get(delivery.state)
    if step is None:
        raise DomainError(_l("This delivery cannot move on from here."))
    state, column = step
    before = delivery.state
    delivery.state = state
    setattr(delivery, column, now)
    audit.record(actor, f"delivery_{state}", "delivery", delivery.id, before=before)
    if state == "shipped":
        _notify(delivery, "shipped", now)
    db.session.commit()
    return delivery


def confirm_receipt(actor, delivery, now):
    """The unit confirms it received the delivery."""
    if delivery.state == "confirmed":
        return delivery
    if delivery.state not in ("shipped", "delivered"):
        raise DomainError(_l("Only a delivery on its way or delivered can be confirmed."))
    if delivery.delivered_at is None:
        delivery.delivered_at = now
    delivery.state, delivery.confirmed_at = "confirmed", now
    audit.record(actor, "delivery_confirmed", "delivery", delivery.id)
    db.session.commit()
    return delivery


def contents(delivery):
    """What the delivery holds: ``[(item, units)]`` over its boxes."""
    units = {}
    for box in delivery.boxes:
        for batch in box.batches:
            units[batch.item] = units.get(batch.item, 0) + batch.units
    if not units and not delivery.boxes:  # not packed yet: what it will hold
        boxes = sum(line.quantity for line in _lines(delivery))
        for line in delivery.round.offer.package.lines:
            units[line.item] = line.quantity * boxes
    return sorted(units.items(), key=lambda pair: pair[0].name)


def box_count(delivery):
    return len(delivery.boxes) or sum(line.quantity for line in _lines(delivery))


def origins(delivery):
    """Where the goods came from, names masked: ``[(masked name, village, item, units)]``."""
    rows = {}
    for box in delivery.boxes:
        for batch in box.batches:
            key = (batch.household_id, batch.item_id)
            if key not in rows:
                rows[key] = [mask_name(batch.household.head_name), batch.household.village.name, batch.item, 0]
            rows[key][3] += batch.units
    return [tuple(row) for _, row in sorted(rows.items())]


def box_counts(deliveries):
    """``{delivery id: boxes}`` as :func:`box_count` gives, for a page of deliveries in two queries."""
    from sqlalchemy import func, select

    from courtyard.models import Box, Pledge, PledgeLine

    ids = [d.id for d in deliveries]
    packed = dict(db.session.execute(select(Box.delivery_id, func.count(Box.id)).where(Box.delivery_id.in_(ids))
                                     .group_by(Box.delivery_id)).all())
    waiting = [d for d in deliveries if d.id not in packed]
    bought = {tuple(row[:3]): row[3] for row in db.session.execute(
        select(PledgeLine.offer_id, PledgeLine.address_id, Pledge.unit_id, func.sum(PledgeLine.quantity)).join(Pledge)
        .where(Pledge.state == "paid", Pledge.unit_id.in_({d.unit_id for d in waiting}),
               PledgeLine.address_id.in_({d.address_id for d in waiting}))
        .group_by(PledgeLine.offer_id, PledgeLine.address_id, Pledge.unit_id))}
    return {d.id: packed.get(d.id) or int(bought.get((d.round.offer_id, d.address_id, d.unit_id), 0)) for d in deliveries}


def _lines(delivery):
    from sqlalchemy import select

    from courtyard.models import Pledge, PledgeLine

    return db.session.scalars(select(PledgeLine).join(Pledge).where(
        PledgeLine.offer_id == delivery.round.offer_id, PledgeLine.address_id == delivery.address_id,
        Pledge.unit_id == delivery.unit_id, Pledge.state == "paid")).all()


def notify_scheduled(delivery, now):
    _notify(delivery, "scheduled", now)


def _notify(delivery, kind, now):
    """Mail the unit (if it has an address) once per delivery and kind, in Chinese."""
    message_events.delivery_notice(delivery, kind, now)
    to_address = (delivery.unit.contact_email or "").strip()
    if not to_address:
        return None
    with force_locale("zh_Hans"):
        facts = {"package": delivery.round.offer.package.name, "address": delivery.address.label,
                 "promised": local_time(delivery.promised_by, "yyyy-MM-dd HH:mm"), "boxes": box_count(delivery)}
        if kind == "scheduled":
            subject = gettext("Delivery scheduled: %(package)s by %(promised)s", **facts)
            body = gettext("%(boxes)s boxes of %(package)s will be delivered to %(address)s by %(promised)s.", **facts)
        else:
            subject = gettext("On its way: %(package)s", **facts)
            body = gettext("%(boxes)s boxes of %(package)s are on their way to %(address)s, promised by %(promised)s.",
                           **facts)
        body += "\n\n" + gettext("%(county)s Courtyard platform\n%(url)s", county=current_app.config["COUNTY_NAME"],
                                 url=current_app.config["PUBLIC_BASE_URL"]) + "\n"
    return outbox.queue(to_address, subject, body, f"delivery:{delivery.id}:{kind}", now=now)
