"""Organising a visit: moving its date, cancelling it, sharing visitors among hosts, closing it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Household, OutboxMessage, Visit, VisitRegistration
from courtyard.services.money import ledger
from courtyard.services.visits import visit_hosts, visit_registrations, visits
from tests.visits.support import NOW, STARTS, details, make_visit, register, states, unit_with_mail, with_registration


def _visit(app, visit_id, action, *args, **kwargs):
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        return action(None, visit, *args, **kwargs)


def _letters(app):
    with app.app_context():
        return [(m.to_address, m.subject, m.body) for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_bad_details_are_refused_at_their_field(app, make):
    """Are a past start, an end before the start and a deadline after the start each named by their field?"""
    village = make.village()
    with app.app_context():
        for overrides, field in [({"starts_at": NOW - timedelta(hours=1)}, "starts_at"),
                                 ({"ends_at": STARTS - timedelta(hours=1)}, "ends_at"),
                                 ({"registration_deadline": STARTS + timedelta(hours=1)}, "registration_deadline"),
                                 ({"capacity": 0}, "capacity")]:
            with pytest.raises(DomainError) as error:
                visits.create_visit(None, village.id, details(**overrides), NOW)
            assert error.value.field == field
        assert db.session.query(Visit).count() == 0


def test_moving_the_date_tells_every_unit_once_and_keeps_the_history(app, make):
    """Does a date change write to each unit with a confirmed or waiting representative, keep the old date,
    and keep the registrations on the new date?"""
    village = make.village()
    a, b = unit_with_mail(app, make), unit_with_mail(app, make)
    visit_id = make_visit(app, village, capacity=1)
    register(app, visit_id, a.id, "甲", "13800000001")
    register(app, visit_id, b.id, "乙", "13800000002")
    new_start = STARTS + timedelta(days=3)
    _visit(app, visit_id, visits.reschedule, new_start, new_start + timedelta(hours=5), "下雨，采摘推迟", NOW)
    letters = _letters(app)
    assert sorted(to for to, _, _ in letters) == sorted([f"unit{a.id}@example.cn", f"unit{b.id}@example.cn"])
    assert all("下雨，采摘推迟" in body for _, _, body in letters)
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.state == "rescheduled" and visit.starts_at == new_start
        assert [(c.from_starts_at, c.to_starts_at) for c in visit.date_changes] == [(STARTS, new_start)]
    assert states(app, visit_id)[0] == {"甲": ("confirmed", None), "乙": ("waitlisted", 1)}


def test_declining_the_new_date_frees_the_seat_for_the_waiting(app, make):
    """After a move, does a unit that declines give its seat to the first waiting representative?"""
    village, a, b = make.village(), make.unit(), make.unit()
    visit_id = make_visit(app, village, capacity=1)
    seat = register(app, visit_id, a.id, "甲", "13800000001")
    register(app, visit_id, b.id, "乙", "13800000002")
    with pytest.raises(DomainError):
        with_registration(app, seat.id, visit_registrations.decline, NOW)
    _visit(app, visit_id, visits.reschedule, STARTS + timedelta(days=1), STARTS + timedelta(days=1, hours=4), "雨", NOW)
    with_registration(app, seat.id, visit_registrations.decline, NOW)
    assert states(app, visit_id) == ({"甲": ("declined", None), "乙": ("confirmed", None)}, 1)


def test_cancelling_tells_everyone_and_closes_registration(app, make):
    """Is a cancelled visit closed to new registrations after every unit was told why?"""
    village, a = make.village(), unit_with_mail(app, make)
    visit_id = make_visit(app, village)
    register(app, visit_id, a.id, "甲", "13800000001")
    with pytest.raises(DomainError) as error:
        _visit(app, visit_id, visits.cancel_visit, "  ", NOW)
    assert error.value.field == "reason"
    _visit(app, visit_id, visits.cancel_visit, "暴雨预警", NOW)
    (to, subject, body), = _letters(app)
    assert to == f"unit{a.id}@example.cn" and "暴雨预警" in body
    with pytest.raises(DomainError):
        register(app, visit_id, a.id, "乙", "13800000002")


def _hosts(app, visit_id):
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        return {h.household.head_name: (h.visitors, h.fee_fen) for h in visit.hosts}


def test_visitors_go_to_the_poorest_hosts_first_and_earn_the_fee(app, make):
    """With 3 visitors and hosts that can each take 3, does the poor household get more than the lifted one,
    and does each host earn its visitors times the fee?"""
    village = make.village()
    make.household(village, tier="poor", name="贫困户")
    make.household(village, tier="lifted", name="脱贫户")
    visit_id = make_visit(app, village, capacity=10, per_unit_limit=10, fee_fen=5000)
    with app.app_context():
        ids = {h.head_name: h.id for h in db.session.scalars(select(Household).where(Household.village_id == village.id))}
    _visit(app, visit_id, visit_hosts.set_hosts, {ids["贫困户"]: 3, ids["脱贫户"]: 3}, NOW)
    unit = make.unit()
    for n in range(3):
        register(app, visit_id, unit.id, f"代表{n}", f"1380000000{n}")
    hosts = _hosts(app, visit_id)
    assert hosts["贫困户"][0] + hosts["脱贫户"][0] == 3
    assert hosts["贫困户"][0] > hosts["脱贫户"][0]
    assert all(fee == visitors * 5000 for visitors, fee in hosts.values())


def test_closing_the_visit_fixes_host_fees_from_who_attended(app, make):
    """Is a visit closed only after everyone is checked in, and are the host fees then from the attended only?"""
    village = make.village()
    host = make.household(village, tier="poor", name="王大妈")
    visit_id = make_visit(app, village, capacity=5, per_unit_limit=5, fee_fen=3000)
    _visit(app, visit_id, visit_hosts.set_hosts, {host.id: 5}, NOW)
    unit = make.unit()
    came = register(app, visit_id, unit.id, "甲", "13800000001")
    stayed_home = register(app, visit_id, unit.id, "乙", "13800000002")
    on_the_day = STARTS + timedelta(hours=1)
    with pytest.raises(DomainError):
        with_registration(app, came.id, visit_registrations.mark_attendance, "attended", NOW)
    with_registration(app, came.id, visit_registrations.mark_attendance, "attended", on_the_day)
    with pytest.raises(DomainError, match="1"):
        _visit(app, visit_id, visits.finish, on_the_day)
    with_registration(app, stayed_home.id, visit_registrations.mark_attendance, "no_show", on_the_day)
    _visit(app, visit_id, visits.finish, on_the_day)
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.state == "done"
        assert visit_hosts.host_fees(visit) == [(host.id, 3000)]
        (row,) = visit_registrations.attendance_by_unit(visit)
        assert (row["attended"], row["no_show"]) == (1, 1)
        assert db.session.get(VisitRegistration, came.id).attendance == "attended"
        assert ledger.owed_fen(host.id) == 3000  # the host is owed its fee in the ledger


def test_host_fees_are_empty_until_the_visit_is_done(app, make):
    """Does the ledger get nothing from a visit that has not happened?"""
    village = make.village()
    host = make.household(village)
    visit_id = make_visit(app, village, fee_fen=2000)
    _visit(app, visit_id, visit_hosts.set_hosts, {host.id: 2}, NOW)
    register(app, visit_id, make.unit().id, "甲", "13800000001")
    with app.app_context():
        assert visit_hosts.host_fees(db.session.get(Visit, visit_id)) == []


def test_hosts_must_be_households_of_the_village(app, make):
    """Is a household of another village refused as a host?"""
    village, elsewhere = make.village(), make.village()
    stranger = make.household(elsewhere)
    visit_id = make_visit(app, village)
    with pytest.raises(DomainError):
        _visit(app, visit_id, visit_hosts.set_hosts, {stranger.id: 2}, NOW)


def test_raising_the_capacity_seats_the_waiting_and_lowering_it_below_the_confirmed_is_refused(app, make):
    """Does a larger capacity confirm the first waiting, and is a capacity below the confirmed people refused?"""
    village, unit = make.village(), make.unit()
    visit_id = make_visit(app, village, capacity=1)
    register(app, visit_id, unit.id, "甲", "13800000001")
    register(app, visit_id, unit.id, "乙", "13800000002")
    register(app, visit_id, unit.id, "丙", "13800000003")
    _visit(app, visit_id, visits.update_details, details(capacity=2, meal_notes="自带水杯"), NOW)
    assert states(app, visit_id) == ({"甲": ("confirmed", None), "乙": ("confirmed", None), "丙": ("waitlisted", 1)}, 2)
    with pytest.raises(DomainError) as error:
        _visit(app, visit_id, visits.update_details, details(capacity=1), NOW)
    assert error.value.field == "capacity"
