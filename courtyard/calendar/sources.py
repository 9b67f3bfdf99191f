"""Calendar sources: where the events of every calendar page and .ics feed come from.

A *source* is a function ``(user, start_utc, end_utc) -> list[CalendarEvent]`` that returns the
events between ``start_utc`` (inclusive) and ``end_utc`` (exclusive) that ``user`` may see. It must
apply the same scope as the pages do, through the ``*_visible_to`` selects of
:mod:`courtyard.access` (county: everything; work team: its village; partner unit: its own unit;
household: itself), because the .ics feed shows its events without a login session.

How another feature adds its events (e.g. delivery rounds), in a few lines:

1. Write the source in the feature's own module, say ``courtyard/calendar/deliveries.py``::

       from flask import url_for
       from flask_babel import gettext as _

       from courtyard.calendar.sources import calendar_source
       from courtyard.exports.ics import CalendarEvent

       @calendar_source
       def delivery_rounds(user, start, end):
           rounds = db.session.scalars(rounds_visible_to(user).where(
               DeliveryRound.starts_at >= start, DeliveryRound.starts_at < end))
           return [CalendarEvent(uid=f"round-{r.id}@courtyard", title=_("Delivery round: %(name)s", name=r.name),
                                 starts_at=r.starts_at, ends_at=r.ends_at, kind="delivery",
                                 url=url_for("team.delivery_round", round_id=r.id)) for r in rounds]

2. Import that module in ``courtyard/calendar/__init__.py`` (the line marked "sources") so the
   decorator runs when the app starts.
3. If the ``kind`` is new, give it a colour in ``static/css/app.css`` (``.event-kind-<kind>``) and
   a legend label in :data:`KIND_LABELS` below.

Rules for a source: ``uid`` stable across renders and unique (``"<thing>-<id>[-<what>]@courtyard"``),
``starts_at`` aware UTC, ``url`` a path from ``url_for`` (the feed makes it absolute), titles
translated with ``_()`` for the current request's language. A source runs inside a request (page
or feed), never holds state, and should query only its window.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from courtyard.access import allocation_runs_visible_to, campaigns_visible_to, pledges_visible_to
from courtyard.exports.ics import CalendarEvent
from courtyard.extensions import db
from courtyard.models import AllocationRun, Campaign, Pledge
from courtyard.services.supply.supply import OPEN_FOR_DECLARATIONS

SOURCES = []

KIND_LABELS = {
    "campaign": _l("Campaigns"),
    "notice": _l("Allocation notices"),
    "payment": _l("Payments due"),
    "round": _l("Delivery rounds"),
    "collection": _l("Collection days"),
    "delivery": _l("Deliveries"),
    "visit": _l("Picking visits"),
}


def calendar_source(source):
    """Register ``source`` for every calendar; returns it unchanged, so it works as a decorator."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def events_for(user, start, end):
    """Every event ``user`` may see from ``start`` (inclusive) to ``end`` (exclusive), in time order."""
    events = [event for source in SOURCES for event in source(user, start, end) if start <= event.starts_at < end]
    return sorted(events, key=lambda event: (event.starts_at, event.title, event.uid))


def _campaign_url(user, campaign):
    if user.role == "county":
        return url_for("county.campaign_detail", campaign_id=campaign.id)
    if user.role == "team" and campaign.state in OPEN_FOR_DECLARATIONS:
        return url_for("team.supply_table", campaign_id=campaign.id)
    if user.role == "partner" and campaign.state == "open":
        return url_for("partner.pledge_new", campaign_id=campaign.id)
    return url_for("public.campaign", campaign_id=campaign.id)


@calendar_source
def campaign_dates(user, start, end):
    """A campaign's opening and its closing, for everyone who may see the campaign."""
    campaigns = db.session.scalars(campaigns_visible_to(user).where(or_(
        Campaign.opens_at.between(start, end), Campaign.closes_at.between(start, end))).order_by(Campaign.id))
    events = []
    for campaign in campaigns:
        url = _campaign_url(user, campaign)
        events.append(CalendarEvent(uid=f"campaign-{campaign.id}-opens@courtyard", kind="campaign", url=url,
                                    title=_("Campaign opens: %(title)s", title=campaign.title), starts_at=campaign.opens_at))
        events.append(CalendarEvent(uid=f"campaign-{campaign.id}-closes@courtyard", kind="campaign", url=url,
                                    title=_("Campaign closes: %(title)s", title=campaign.title), starts_at=campaign.closes_at))
    return events


@calendar_source
def allocation_notices(user, start, end):
    """The day an allocation run was published as a public notice (公示), for its village and the county."""
    runs = db.session.scalars(allocation_runs_visible_to(user).where(
        AllocationRun.state == "published", AllocationRun.published_at >= start, AllocationRun.published_at < end)
        .order_by(AllocationRun.id))
    return [CalendarEvent(
        uid=f"notice-{run.id}@courtyard", kind="notice", starts_at=run.published_at,
        title=_("Allocation notice: %(village)s · %(campaign)s", village=run.village.name, campaign=run.campaign.title),
        location=run.village.full_name,
        url=url_for("team.allocation_run", run_id=run.id) if user.role == "team" else
        url_for("public.allocation_notice", run_id=run.id),
    ) for run in runs]


@calendar_source
def transfers_due(user, start, end):
    """The last day for a bank transfer a pledge still waits for: the unit's own pledges, and the county."""
    pledges = db.session.scalars(pledges_visible_to(user).where(
        Pledge.state == "awaiting_transfer", Pledge.transfer_due_at >= start, Pledge.transfer_due_at < end)
        .order_by(Pledge.id))
    return [CalendarEvent(
        uid=f"pledge-{pledge.id}-transfer@courtyard", kind="payment", starts_at=pledge.transfer_due_at,
        title=_("Bank transfer due: pledge %(reference)s", reference=pledge.reference),
        url=url_for("county.pledge_admin", pledge_id=pledge.id) if user.role == "county" else
        url_for("partner.pledge_detail", pledge_id=pledge.id),
    ) for pledge in pledges]
