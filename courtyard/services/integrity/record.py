"""The integrity record's figures for a set of households (one household, a cooperative's members, a village).

Read from what already happens, never typed in:

* **accepted / rejected** units at collection (and the rejections by reason), from collection records;
* **short**: units the households were to bring and did not bring at all (``allocated − accepted −
  rejected`` per record, when positive);
* **complaints upheld**: complaints resolved with a refund or a reshipment about a delivery holding a
  box with the households' goods (a complaint counts once however many of their boxes it concerns);
* **ratings**: the units' 1–5 ratings of boxes holding the households' goods (count and average).

:func:`figures` gives the totals, :func:`trend` the same by month, so pages show a few figures and
how they move, never one score. A household with rejections in ``TRAINING_AFTER`` or more
collections is flagged for training (:func:`needs_training`), to help, not to punish.
"""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import Box, BoxBatch, BoxRating, CollectionRecord, DeliveryComplaint, DeliveryRound
from courtyard.localtime import LOCAL_ZONE

UPHELD = ("refund", "reship")
TRAINING_AFTER = 3


@dataclass(frozen=True)
class Figures:
    accepted: int = 0
    rejected: int = 0
    short: int = 0
    complaints_upheld: int = 0
    ratings: int = 0
    stars_total: int = 0
    reject_reasons: dict = field(default_factory=dict)  # {reason: units}

    @property
    def accepted_share(self):
        """Accepted units per hundred brought, or None when nothing was brought."""
        brought = self.accepted + self.rejected
        return round(100 * self.accepted / brought) if brought else None

    @property
    def average_stars(self):
        return round(self.stars_total / self.ratings, 1) if self.ratings else None


def _records(household_ids, since=None):
    query = select(CollectionRecord, DeliveryRound.delivers_on).join(
        DeliveryRound, DeliveryRound.id == CollectionRecord.round_id).where(
        CollectionRecord.household_id.in_(household_ids))
    if since is not None:
        query = query.where(CollectionRecord.recorded_at >= since)
    return db.session.execute(query).all()


def _boxes(household_ids):
    return select(BoxBatch.box_id).where(BoxBatch.household_id.in_(household_ids))


def _complaints(household_ids):
    """``[(complaint id, resolved at)]`` upheld about deliveries holding the households' goods."""
    deliveries = select(Box.delivery_id).where(Box.id.in_(_boxes(household_ids)))
    return db.session.execute(select(DeliveryComplaint.id, DeliveryComplaint.resolved_at).where(
        DeliveryComplaint.delivery_id.in_(deliveries), DeliveryComplaint.resolution.in_(UPHELD))).all()


def _ratings(household_ids):
    return db.session.execute(select(BoxRating.stars, BoxRating.rated_at).where(
        BoxRating.box_id.in_(_boxes(household_ids)))).all()


def _month(moment):
    return moment.astimezone(LOCAL_ZONE).strftime("%Y-%m")


def figures(household_ids):
    """The :class:`Figures` of ``household_ids`` (a list, or a select of ids)."""
    return trend(household_ids).get("all", Figures())


def trend(household_ids):
    """``{"YYYY-MM": Figures, ..., "all": Figures}``: the figures by local month (of recording, complaint
    resolution or rating) and in total."""
    buckets = {}

    def add(month, **amounts):
        for key in {month, "all"}:
            bucket = buckets.setdefault(key, Counter())
            bucket.update(amounts)

    reasons = {}
    for record, _delivers_on in _records(household_ids):
        month = _month(record.recorded_at)
        short = max(0, (record.units_allocated or 0) - record.units_accepted - record.units_rejected)
        add(month, accepted=record.units_accepted, rejected=record.units_rejected, short=short)
        if record.units_rejected:
            for key in (month, "all"):
                tally = reasons.setdefault(key, Counter())
                tally[record.reject_reason] += record.units_rejected
    for _id, resolved_at in _complaints(household_ids):
        add(_month(resolved_at) if resolved_at else "all", complaints_upheld=1)  # upheld: resolved, so dated
    for stars, rated_at in _ratings(household_ids):
        add(_month(rated_at), ratings=1, stars_total=stars)
    return {key: Figures(reject_reasons=dict(reasons.get(key, {})), **{k: v for k, v in bucket.items()})
            for key, bucket in sorted(buckets.items())}


def per_household(household_ids):
    """``{household_id: Figures}`` for a page of households, in four queries whatever their number."""
    household_ids = list(household_ids)
    found = {h: Counter() for h in household_ids}
    reasons = {h: Counter() for h in household_ids}
    for row, _delivers_on in _records(household_ids):
        short = max(0, (row.units_allocated or 0) - row.units_accepted - row.units_rejected)
        found[row.household_id].update(accepted=row.units_accepted, rejected=row.units_rejected, short=short)
        if row.units_rejected:
            reasons[row.household_id][row.reject_reason] += row.units_rejected
    boxes = select(BoxBatch.household_id, BoxBatch.box_id).where(BoxBatch.household_id.in_(household_ids)).distinct() \
        .subquery()
    for household_id, _complaint in db.session.execute(
            select(boxes.c.household_id, DeliveryComplaint.id).distinct()
            .join(Box, Box.id == boxes.c.box_id).join(DeliveryComplaint, DeliveryComplaint.delivery_id == Box.delivery_id)
            .where(DeliveryComplaint.resolution.in_(UPHELD))).all():
        found[household_id].update(complaints_upheld=1)
    for household_id, stars in db.session.execute(
            select(boxes.c.household_id, BoxRating.stars).join(BoxRating, BoxRating.box_id == boxes.c.box_id)).all():
        found[household_id].update(ratings=1, stars_total=stars)
    return {h: Figures(reject_reasons=dict(reasons[h]), **dict(found[h])) for h in household_ids}


def needs_training(household_ids):
    """The households with rejections at ``TRAINING_AFTER`` or more collections: ``{household_id: times}``."""
    rows = db.session.execute(
        select(CollectionRecord.household_id, func.count(CollectionRecord.id))
        .where(CollectionRecord.household_id.in_(household_ids), CollectionRecord.units_rejected > 0)
        .group_by(CollectionRecord.household_id)
        .having(func.count(CollectionRecord.id) >= TRAINING_AFTER)).all()
    return dict(rows)


def months_of(trend_rows, last=6):
    """The last ``last`` months of a :func:`trend`, oldest first, as ``[(month, Figures)]``."""
    return [(month, f) for month, f in trend_rows.items() if month != "all"][-last:]


