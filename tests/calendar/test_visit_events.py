"""Picking visits on the calendar: the organisers, the units that registered and the host households, no one else."""

from datetime import timedelta
from types import SimpleNamespace

from courtyard.calendar.sources import events_for
from courtyard.extensions import db
from courtyard.models import User, VisitHost
from courtyard.models.types import utcnow
from courtyard.services.visits import visit_registrations, visits


def _world(make, app):
    village, other_village = make.village(), make.village()
    unit, other_unit = make.unit(), make.unit()
    host = make.household(village, with_pin=True)
    people = SimpleNamespace(team=make.team_member(village), other_team=make.team_member(other_village),
                             partner=make.partner_user(unit), other_partner=make.partner_user(other_unit),
                             county=make.admin())
    with app.app_context():
        now = utcnow()
        starts = now + timedelta(days=5)
        visit = visits.create_visit(None, village.id, visits.VisitDetails(
            title="秋日采摘体验", starts_at=starts, ends_at=starts + timedelta(hours=3), meeting_point="村委会",
            capacity=8, per_unit_limit=2, registration_deadline=starts - timedelta(days=1)), now)
        visit_registrations.register(None, visit, unit.id, "李明", "13800002222", now)
        db.session.add(VisitHost(visit_id=visit.id, household_id=host.id, capacity=4))
        db.session.commit()
        people.household = db.session.query(User).filter_by(household_id=host.id).one()
        people.other_household = db.session.query(User).filter_by(
            household_id=make.household(other_village, with_pin=True).id).one()
        people.household, people.other_household = people.household.id, people.other_household.id
    return people, now


def _sees_visit(app, user_id, now):
    with app.test_request_context():
        user = db.session.get(User, getattr(user_id, "id", user_id))
        titles = [event.title for event in events_for(user, now, now + timedelta(days=30))]
    return "秋日采摘体验" in titles


def test_a_visit_is_on_the_calendars_of_those_it_concerns_only(app, make):
    """County, the village's team, the registered unit and the host household see it; the others do not."""
    people, now = _world(make, app)
    for who in ("county", "team", "partner", "household"):
        assert _sees_visit(app, getattr(people, who), now), who
    for who in ("other_team", "other_partner", "other_household"):
        assert not _sees_visit(app, getattr(people, who), now), who
