"""At the deadline the staff choices become one pledge of the unit, with the right lines and amount."""

from courtyard import jobs
from courtyard.extensions import db
from courtyard.models import CampaignPackage, PartnerUnit, Pledge, StaffMember, StaffOffer
from courtyard.services.pledges import pledges
from courtyard.services.staff_offers import choices, conversion
from tests.support.staff_offers import make_staff_offer


def _choose_all(w, picks):
    for member_index, quantities, point in picks:
        choices.choose(db.session.get(StaffMember, w.member_ids[member_index]), db.session.get(StaffOffer, w.id),
                       quantities, w.address_ids[point], w.now)


def test_the_deadline_makes_one_pledge_with_a_line_per_package_and_point(app):
    """Three people's choices: one pledge, lines summed by package and point, the right total, stock unchanged, paid
    by the unit's transfer like any pledge?"""
    w = make_staff_offer(app, staff=4, price_fen=16_800, allowance_fen=40_000)
    a, b = w.offer_ids
    with app.app_context():
        _choose_all(w, [(0, {a: 1}, 0), (1, {a: 1, b: 1}, 0), (2, {a: 1}, 1)])
        assert conversion.convert_due(w.deadline) == 1
        pledge = db.session.scalars(db.select(Pledge)).one()
        assert pledge.unit_id == w.unit_id and pledge.state == "awaiting_transfer"
        assert sorted((l.offer_id, l.address_id, l.quantity) for l in pledge.lines) == sorted(
            [(a, w.address_ids[0], 2), (b, w.address_ids[0], 1), (a, w.address_ids[1], 1)])
        assert pledge.total_fen == 4 * 16_800
        assert db.session.get(CampaignPackage, a).sold == 3 and db.session.get(CampaignPackage, b).sold == 1
        offer = db.session.get(StaffOffer, w.id)
        assert offer.state == "converted" and offer.pledge_id == pledge.id
        assert conversion.convert_due(w.deadline) == 0  # safe to run twice
        assert db.session.query(Pledge).count() == 1
        pledges.record_transfer(None, pledge, 4 * 16_800, "BANK-1", w.deadline, w.deadline)
        assert db.session.get(Pledge, pledge.id).state == "paid"  # the unit pays it as any pledge


def test_before_the_deadline_nothing_is_converted(app):
    """Does the job leave an offer alone until its deadline?"""
    w = make_staff_offer(app)
    with app.app_context():
        _choose_all(w, [(0, {w.offer_ids[0]: 1}, 0)])
        assert conversion.convert_due(w.now) == 0 and db.session.query(Pledge).count() == 0


def test_a_refused_pledge_fails_the_offer_with_the_reason_and_frees_the_stock(app):
    """If the unit's budget ran out meanwhile, does the offer say why and give the packages back?"""
    w = make_staff_offer(app, budget_fen=200_000)
    a = w.offer_ids[0]
    with app.app_context():
        _choose_all(w, [(0, {a: 1}, 0)])
        db.session.get(PartnerUnit, w.unit_id).annual_budget_fen = 100
        db.session.commit()
        assert conversion.convert_due(w.deadline) == 0
        offer = db.session.get(StaffOffer, w.id)
        assert offer.state == "failed" and "budget" in offer.note
        assert db.session.get(CampaignPackage, a).sold == 0 and db.session.query(Pledge).count() == 0


def test_the_job_is_declared_with_a_lease_and_runs_the_conversion(app):
    """Is convert-staff-offers one of the scheduler's jobs, and does a run convert a due offer?"""
    job = next(j for j in jobs.JOBS if j.id == "convert-staff-offers")
    assert job.lease_minutes > 0
    w = make_staff_offer(app)
    with app.app_context():
        _choose_all(w, [(0, {w.offer_ids[0]: 1}, 0)])
        db.session.get(StaffOffer, w.id).deadline_at = w.now.replace(year=2020)
        db.session.commit()
    assert jobs.run_in_app(app, job) == 1
