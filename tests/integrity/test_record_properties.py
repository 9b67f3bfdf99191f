"""The integrity figures equal what the collections, complaints and ratings recorded, over random seasons."""

import secrets
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Box, BoxBatch, BoxRating, CollectionRecord, Delivery, DeliveryComplaint, PledgeLine
from courtyard.services.integrity import record
from tests.support.ladder import Ladder
from tests.support.campaigns import NOW

REASONS = ("烂叶", "分量不足", "不新鲜")
collection = st.one_of(st.none(), st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 3),
                                            st.sampled_from(REASONS)))
box = st.tuples(st.one_of(st.none(), st.integers(1, 5)), st.sampled_from((None, "refund", "reship", "note")),
                st.integers(0, 40))  # stars, complaint resolution, days after NOW
household = st.tuples(st.lists(collection, min_size=2, max_size=2), st.lists(box, max_size=3))


def _season(app, make, r, households):
    """Write the generated records, boxes, ratings and complaints; return the expected figures and household ids."""
    village = make.village()
    expected = dict(accepted=0, rejected=0, short=0, complaints_upheld=0, ratings=0, stars_total=0)
    ids = [make.household(village).id for _ in households]
    with app.app_context():
        pledge_line_id = db.session.scalar(select(PledgeLine.id))
        for household_id, (rounds, boxes) in zip(ids, households):
            records = []
            for round_id, found in zip(r.round_ids, rounds):
                if found is None:
                    continue
                allocated, accepted, rejected, reason = found
                accepted = min(accepted, allocated)
                row = CollectionRecord(round_id=round_id, household_id=household_id, item_id=r.item_id,
                                       units_accepted=accepted, units_rejected=rejected,
                                       reject_reason=reason if rejected else "", unit_price_fen=1500,
                                       units_allocated=allocated, recorded_at=NOW)
                db.session.add(row)
                records.append(row)
                expected["accepted"] += accepted
                expected["rejected"] += rejected
                expected["short"] += max(0, allocated - accepted - rejected)
            db.session.flush()
            for stars, resolution, days in (boxes if records else []):
                at = NOW + timedelta(days=days)
                delivery = Delivery(round_id=r.round_ids[0], unit_id=r.unit_id, address_id=r.address_id,
                                    state="delivered", promised_by=at, delivered_at=at)
                db.session.add(delivery)
                db.session.flush()
                packed = Box(delivery_id=delivery.id, pledge_line_id=pledge_line_id, trace_code=secrets.token_hex(6),
                             packed_at=at, batches=[BoxBatch(record_id=records[0].id, household_id=household_id,
                                                             item_id=r.item_id, units=1)])
                db.session.add(packed)
                db.session.flush()
                if stars:
                    db.session.add(BoxRating(box_id=packed.id, stars=stars, rated_at=at))
                    expected["ratings"] += 1
                    expected["stars_total"] += stars
                if resolution:
                    db.session.add(DeliveryComplaint(delivery_id=delivery.id, description="坏了", reported_at=at,
                                                     response_due_at=at, resolved_at=at, resolution=resolution))
                    expected["complaints_upheld"] += resolution in record.UPHELD
        db.session.commit()
    return expected, ids


def test_the_figures_are_what_was_recorded(app, make):
    """For random seasons of collections, boxes, ratings and complaints, do the figures (in total and summed
    over the months) equal what was recorded, and a household's figures never count another's?"""
    r = Ladder(app, make).planned()

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(household, min_size=1, max_size=3))
    def check(households):
        expected, ids = _season(app, make, r, households)
        with app.app_context():
            found = record.figures(ids)
            assert {k: getattr(found, k) for k in expected} == expected
            months = [f for month, f in record.trend(ids).items() if month != "all"]
            assert {k: sum(getattr(f, k) for f in months) for k in expected} == expected
            alone = [record.figures([household_id]) for household_id in ids]
            assert list(record.per_household(ids).values()) == alone
            assert sum(f.accepted for f in alone) == expected["accepted"]
            assert sum(f.ratings for f in alone) == expected["ratings"]
            assert sum(found.reject_reasons.values()) == expected["rejected"]

    check()
