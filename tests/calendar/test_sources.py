"""Calendar sources: each user gets the events of its own scope, and a feature adds its own in a few lines."""

from datetime import timedelta

import pytest

from courtyard.calendar.sources import SOURCES, calendar_source, events_for
from courtyard.exports.ics import CalendarEvent
from courtyard.extensions import db
from courtyard.models import User


def _titles(app, user_id, world):
    with app.test_request_context():
        user = db.session.get(User, user_id)
        events = events_for(user, world.now - timedelta(days=30), world.now + timedelta(days=30))
        return [event.title for event in events]


def test_the_county_sees_every_event(app, world):
    """Does the county admin see drafts, both villages' notices and every unit's transfers?"""
    titles = " | ".join(_titles(app, world.admin.id, world))
    for text in ("内部草稿活动", "秋收公开活动", "甲村", "乙村", "CYA0001", "CYB0002"):
        assert text in titles


@pytest.mark.parametrize("who,own,others", [
    ("team_a", ["秋收公开活动", "甲村"], ["乙村", "内部草稿活动", "CYA0001", "CYB0002"]),
    ("team_b", ["秋收公开活动", "乙村"], ["甲村", "内部草稿活动", "CYA0001", "CYB0002"]),
    ("partner_a", ["秋收公开活动", "甲村", "CYA0001"], ["乙村", "内部草稿活动", "CYB0002"]),
    ("partner_b", ["秋收公开活动", "乙村", "CYB0002"], ["甲村", "内部草稿活动", "CYA0001"]),
])
def test_staff_see_only_their_own_village_or_unit(app, world, who, own, others):
    """Does a work team see only its village's notice, and a unit only its own transfers and paired villages?"""
    titles = " | ".join(_titles(app, getattr(world, who).id, world))
    assert all(text in titles for text in own), titles
    assert not any(text in titles for text in others), titles


def test_a_household_sees_its_own_village_only(app, world):
    """Does a household see the public campaign and its own village's notice, nothing of another village or unit?"""
    with app.app_context():
        user_id = db.session.get(User, db.session.query(User.id).filter_by(login=world.house_a.phone).scalar()).id
    titles = " | ".join(_titles(app, user_id, world))
    assert "秋收公开活动" in titles and "甲村" in titles
    assert not any(text in titles for text in ("乙村", "内部草稿活动", "CYA0001", "CYB0002"))


def test_events_come_in_time_order_and_within_the_window(app, world):
    """Are events sorted by time, and is an event outside the asked window left out?"""
    with app.test_request_context():
        user = db.session.get(User, world.admin.id)
        events = events_for(user, world.now - timedelta(days=1), world.now + timedelta(days=1))
        assert [e.starts_at for e in events] == sorted(e.starts_at for e in events)
        assert all(world.now - timedelta(days=1) <= e.starts_at < world.now + timedelta(days=1) for e in events)
        assert not any("opens" in e.uid for e in events)  # the campaigns opened ten days ago


def test_another_feature_registers_a_source_with_a_decorator(app, world):
    """Does a function decorated with @calendar_source add its events to every calendar?"""
    @calendar_source
    def delivery_rounds(user, start, end):
        return [CalendarEvent(uid="round-1@courtyard", title="送货日", starts_at=world.now, kind="round")]

    try:
        assert "送货日" in _titles(app, world.team_a.id, world)
    finally:
        SOURCES.remove(delivery_rounds)
