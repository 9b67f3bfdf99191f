"""What was sent, for the pages that caused it and for the county: counts, lists, failures, cost.

``of_subject`` answers "sent to 38 households, 2 failed, 1 waiting" for an allocation run, a
round's runs or a payout batch, with one row per person. ``county_overview`` counts deliveries
per channel and state, lists the failures with the provider's code and counts the texts per kind
and month (what the provider bills).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.messages.sending import SENDABLE
from courtyard.messages.sms_provider import ACCOUNT_CODES
from courtyard.models import Household, Notice, NoticeDelivery, PartnerUnit, User

OUTCOMES = ("sent", "failed", "waiting", "inbox")  # what a person's text came to; inbox: no text (no number, or not wanted)


def outcome_of(sms):
    if sms is None:
        return "inbox"
    if sms.state in ("sent", "delivered"):
        return "sent"
    return "failed" if sms.state == "failed" else "waiting"


@dataclass
class Row:
    notice: Notice
    name: str
    sms: NoticeDelivery | None
    outcome: str


@dataclass
class Record:
    subject_type: str
    subject_ids: list
    rows: list = field(default_factory=list)

    @property
    def counts(self):
        counted = Counter(row.outcome for row in self.rows)
        return {outcome: counted.get(outcome, 0) for outcome in OUTCOMES}


def of_subject(subject_type, subject_ids, roles=("household",)):
    """The record of the messages ``subject_type``/``subject_ids`` caused to people of ``roles``."""
    ids = [i for i in subject_ids if i is not None]
    record = Record(subject_type, ids)
    if not ids:
        return record
    notices = db.session.scalars(select(Notice).where(
        Notice.subject_type == subject_type, Notice.subject_id.in_(ids)).order_by(Notice.id)).all()
    notices = [n for n in notices if _role_of(n) in roles]
    deliveries = db.session.scalars(select(NoticeDelivery).where(
        NoticeDelivery.notice_id.in_([n.id for n in notices]), NoticeDelivery.channel == "sms")).all() if notices else []
    sms = {d.notice_id: d for d in deliveries}
    names = _names(notices)
    record.rows = [Row(n, names.get(n.id, ""), sms.get(n.id), outcome_of(sms.get(n.id))) for n in notices]
    return record


def _role_of(notice):
    if notice.household_id is not None:
        return "household"
    if notice.partner_unit_id is not None:
        return "partner"
    return "staff"


def _names(notices):
    household_ids = {n.household_id for n in notices if n.household_id}
    unit_ids = {n.partner_unit_id for n in notices if n.partner_unit_id}
    user_ids = {n.user_id for n in notices if n.user_id}
    households = dict(db.session.execute(select(Household.id, Household.head_name).where(
        Household.id.in_(household_ids))).all()) if household_ids else {}
    units = dict(db.session.execute(select(PartnerUnit.id, PartnerUnit.name).where(
        PartnerUnit.id.in_(unit_ids))).all()) if unit_ids else {}
    users = dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_(user_ids))).all()) if user_ids else {}
    return {n.id: households.get(n.household_id) or units.get(n.partner_unit_id) or users.get(n.user_id, "")
            for n in notices}


def failed_ids(subject_type, subject_ids):
    """A select of the failed text deliveries of these subjects (for "send again")."""
    return select(NoticeDelivery.id).join(Notice).where(
        Notice.subject_type == subject_type, Notice.subject_id.in_(subject_ids),
        NoticeDelivery.channel == "sms", NoticeDelivery.state == "failed")


@dataclass
class Overview:
    by_channel: dict  # {channel: {state: count}}
    failures: list  # the latest failed deliveries
    monthly: list  # [(month "2026-12", {kind: count})], newest first
    account_error: NoticeDelivery | None
    waiting: int


def county_overview(now, months=6, failures=50):
    by_channel = {}
    for channel, state, count in db.session.execute(select(
            NoticeDelivery.channel, NoticeDelivery.state, func.count()).group_by(
            NoticeDelivery.channel, NoticeDelivery.state)).all():
        by_channel.setdefault(channel, {})[state] = count
    failed = db.session.scalars(select(NoticeDelivery).where(NoticeDelivery.state == "failed")
                                .order_by(NoticeDelivery.id.desc()).limit(failures)).all()
    account_error = db.session.scalar(select(NoticeDelivery).where(
        NoticeDelivery.error_code.in_(ACCOUNT_CODES)).order_by(NoticeDelivery.id.desc()).limit(1))
    waiting = sum(count for state, count in by_channel.get("sms", {}).items() if state in SENDABLE)
    return Overview(by_channel, failed, monthly_counts(now, months), account_error, waiting)


def month_starts(now, months):
    """The first instants (Asia/Shanghai) of this month and the ``months - 1`` before, newest first."""
    local = now.astimezone(LOCAL_ZONE)
    first = datetime(local.year, local.month, 1, tzinfo=LOCAL_ZONE)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return starts


def monthly_counts(now, months):
    """Texts sent per kind in each month: one grouped query per month."""
    starts = month_starts(now, months)
    ends = [None] + starts[:-1]
    result = []
    for start, end in zip(starts, ends):
        query = select(Notice.kind, func.count()).join(NoticeDelivery).where(
            NoticeDelivery.channel == "sms", NoticeDelivery.state.in_(("sent", "delivered")),
            NoticeDelivery.sent_at >= start)
        if end is not None:
            query = query.where(NoticeDelivery.sent_at < end)
        result.append((f"{start:%Y-%m}", dict(db.session.execute(query.group_by(Notice.kind)).all())))
    return result
