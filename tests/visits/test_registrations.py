"""Registering representatives: seats, the waiting list, cancellations and promotions, never overbooked."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import OutboxMessage, Visit
from courtyard.services.visits import visit_registrations
from tests.visits.support import NOW, make_visit, register, states, unit_with_mail, with_registration


def test_past_capacity_representatives_wait_in_order_and_see_their_place(app, make):
    """Are the first three confirmed and the next two waiting as numbers 1 and 2?"""
    village, unit = make.village(), make.unit()
    other = make.unit()
    visit_id = make_visit(app, village, capacity=3, per_unit_limit=3)
    results = [register(app, visit_id, unit.id, name, f"1380000000{n}") for n, name in enumerate(["甲", "乙", "丙"])]
    results += [register(app, visit_id, other.id, name, f"1390000000{n}") for n, name in enumerate(["丁", "戊"])]
    assert [r.state for r in results] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [r.position for r in results[3:]] == [1, 2]
    assert states(app, visit_id)[1] == 3


def test_per_unit_limit_and_bad_input_are_refused_with_the_field(app, make):
    """Is a fourth person of a unit refused, and a bad phone or empty name named by its field?"""
    village, unit = make.village(), make.unit()
    visit_id = make_visit(app, village, capacity=10, per_unit_limit=2)
    register(app, visit_id, unit.id, "甲", "13800000001")
    with pytest.raises(DomainError) as error:
        register(app, visit_id, unit.id, "甲", "13800000001")
    assert error.value.field == "phone"
    register(app, visit_id, unit.id, "乙", "138 0000 0002")
    with pytest.raises(DomainError, match="2"):
        register(app, visit_id, unit.id, "丙", "13800000003")
    with pytest.raises(DomainError) as error:
        register(app, visit_id, make.unit().id, "丁", "12345")
    assert error.value.field == "phone"
    with pytest.raises(DomainError) as error:
        register(app, visit_id, make.unit().id, "  ", "13800000009")
    assert error.value.field == "name"
    assert states(app, visit_id)[1] == 2


def test_registration_closes_at_the_deadline(app, make):
    """Is a registration after the deadline refused?"""
    village, unit = make.village(), make.unit()
    visit_id = make_visit(app, village)
    with app.app_context():
        deadline = db.session.get(Visit, visit_id).registration_deadline
    with pytest.raises(DomainError):
        register(app, visit_id, unit.id, "甲", "13800000001", now=deadline)


def test_campaign_visits_take_only_units_that_pledged(app, make):
    """May a unit without a paid pledge in the chosen campaign register? No."""
    from tests.support.campaigns import make_campaign

    village, unit = make.village(), make.unit()
    campaign = make_campaign(app)
    visit_id = make_visit(app, village, campaign_id=campaign.id)
    with pytest.raises(DomainError, match="pledged"):
        register(app, visit_id, unit.id, "甲", "13800000001")


def test_a_cancellation_promotes_the_first_waiting_and_tells_its_unit(app, make):
    """Does a freed seat go to waiting number 1 (not 2), whose unit gets one letter?"""
    village, unit = make.village(), make.unit()
    first_waiting, second_waiting = unit_with_mail(app, make), unit_with_mail(app, make)
    visit_id = make_visit(app, village, capacity=2)
    seat = register(app, visit_id, unit.id, "甲", "13800000001")
    register(app, visit_id, unit.id, "乙", "13800000002")
    register(app, visit_id, first_waiting.id, "丙", "13800000003")
    register(app, visit_id, second_waiting.id, "丁", "13800000004")
    with_registration(app, seat.id, visit_registrations.cancel, NOW + timedelta(days=1))
    now_states, seats = states(app, visit_id)
    assert now_states["甲"][0] == "cancelled" and now_states["丙"] == ("confirmed", None)
    assert now_states["丁"] == ("waitlisted", 1) and seats == 2
    with app.app_context():
        letters = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in letters] == [f"unit{first_waiting.id}@example.cn"]
    assert "丙" in letters[0].body


def test_cancelling_a_waiting_representative_keeps_the_seats(app, make):
    """Does cancelling someone on the waiting list move the others up without touching the seats?"""
    village, unit = make.village(), make.unit()
    visit_id = make_visit(app, village, capacity=1)
    register(app, visit_id, unit.id, "甲", "13800000001")
    waiting = register(app, visit_id, unit.id, "乙", "13800000002")
    register(app, visit_id, unit.id, "丙", "13800000003")
    with_registration(app, waiting.id, visit_registrations.cancel, NOW)
    now_states, seats = states(app, visit_id)
    assert now_states["丙"] == ("waitlisted", 1) and seats == 1
    with pytest.raises(DomainError):
        with_registration(app, waiting.id, visit_registrations.cancel, NOW)


def test_concurrent_registrations_for_the_last_seat_never_overbook(app, make):
    """Do 12 threads, each with its own session, racing for the last 2 seats confirm exactly 2?"""
    village = make.village()
    visit_id = make_visit(app, village, capacity=3, per_unit_limit=1)
    register(app, visit_id, make.unit().id, "先到", "13700000000")
    units = [make.unit() for _ in range(12)]
    outcomes, errors = [], []
    barrier = threading.Barrier(len(units))

    def race(n, unit):
        barrier.wait()
        try:
            with app.app_context():
                visit = db.session.get(Visit, visit_id)
                registration = visit_registrations.register(None, visit, unit.id, f"代表{n}", f"1390000{n:04d}", NOW)
                outcomes.append(registration.state)
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(exc)
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=race, args=(n, unit)) for n, unit in enumerate(units)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(outcomes) == ["confirmed"] * 2 + ["waitlisted"] * 10
    now_states, seats = states(app, visit_id)
    assert seats == 3 and sum(1 for state, _ in now_states.values() if state == "confirmed") == 3
    assert sorted(position for state, position in now_states.values() if state == "waitlisted") == list(range(1, 11))


def test_concurrent_registrations_of_one_unit_keep_its_limit(app, make):
    """Do 8 simultaneous registrations by one unit with a limit of 2 leave exactly 2 registered?"""
    village, unit = make.village(), make.unit()
    visit_id = make_visit(app, village, capacity=10, per_unit_limit=2)
    outcomes = []
    barrier = threading.Barrier(8)

    def race(n):
        barrier.wait()
        try:
            with app.app_context():
                visit_registrations.register(None, db.session.get(Visit, visit_id), unit.id, f"代表{n}",
                                             f"1390000{n:04d}", NOW)
                outcomes.append("ok")
        except DomainError:
            outcomes.append("limit")
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["limit"] * 6 + ["ok"] * 2
    assert states(app, visit_id)[1] == 2
