"""Collection days and deliveries on the calendar, each to the people it concerns."""

from datetime import timedelta
from types import SimpleNamespace

from courtyard.calendar.sources import events_for
from courtyard.extensions import db
from courtyard.models import User


def _kinds(app, user_id, around):
    with app.test_request_context():
        user = db.session.get(User, user_id)
        return sorted({event.kind for event in events_for(user, around - timedelta(days=30), around + timedelta(days=30))
                       if event.kind in ("collection", "delivery")})


def test_the_village_sees_its_collection_day_and_the_unit_its_delivery_and_nobody_else_either(app, make, packed):
    """The team and the household see the collection day, the unit the delivery, the county both; others nothing."""
    other_village = make.village()
    with app.app_context():
        household_user = db.session.query(User).filter_by(household_id=packed.households[0].id).one().id
    people = {
        "county": make.admin().id, "team": make.team_member(packed.village).id,
        "partner": make.partner_user(SimpleNamespace(id=packed.unit_id)).id, "household": household_user,
        "other_team": make.team_member(other_village).id, "other_partner": make.partner_user(make.unit()).id,
    }
    expected = {"county": ["collection", "delivery"], "team": ["collection"], "household": ["collection"],
                "partner": ["delivery"], "other_team": [], "other_partner": []}
    assert {who: _kinds(app, user_id, packed.now) for who, user_id in people.items()} == expected
