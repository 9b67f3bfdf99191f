"""300 staff choosing at once for a package capped at 100: exactly 100 sold, the rest told clearly."""

import threading

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CampaignPackage, StaffChoice, StaffMember, StaffOffer
from courtyard.services.staff_offers import choices
from tests.support.staff_offers import make_staff_offer

THREADS = 30


def test_300_concurrent_choices_sell_exactly_the_cap_of_100(app):
    """Do 30 threads, each choosing for 10 people at once, hold exactly 100 packages and tell 200 it ran out?"""
    w = make_staff_offer(app, staff=300, cap=100, packages=1, budget_fen=1_000_000_000)
    package = w.offer_ids[0]
    outcomes, lock = [], threading.Lock()
    barrier = threading.Barrier(THREADS)

    def choose_for(member_ids):
        with app.app_context():
            barrier.wait()
            for member_id in member_ids:
                try:
                    choices.choose(db.session.get(StaffMember, member_id), db.session.get(StaffOffer, w.id),
                                   {package: 1}, w.address_ids[0], w.now)
                    outcome = "ok"
                except DomainError as error:
                    outcome = str(error.message)
                with lock:
                    outcomes.append(outcome)
            db.session.remove()

    threads = [threading.Thread(target=choose_for, args=(w.member_ids[n::THREADS],)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(outcomes) == 300
    assert outcomes.count("ok") == 100
    assert all(o == "ok" or "Only 0 of" in o or "run out" in o for o in outcomes)
    with app.app_context():
        assert db.session.get(CampaignPackage, package).sold == 100
        assert db.session.query(StaffChoice).count() == 100
