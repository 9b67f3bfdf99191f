"""The secret .ics feed: shown on the subscription page, readable without login, scoped, replaceable."""

import re

from icalendar import Calendar

from courtyard.extensions import db
from courtyard.models import AuditEvent, CalendarToken, User
from tests.support.factories import login, pin_login


def _feed_path(client):
    page = client.get("/calendar/subscribe").get_data(as_text=True)
    https = re.search(r'value="(http://localhost/calendar/[A-Za-z0-9_-]+\.ics)"', page).group(1)
    assert ('href="webcal://localhost/calendar/' + https.rsplit("/", 1)[1] + '"') in page
    return https.replace("http://localhost", "")


def _events(app, path):
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return [(str(e["summary"]), str(e.get("url", ""))) for e in calendar.walk("VEVENT")]


def test_a_team_members_feed_has_its_village_and_not_another(app, client, world):
    """Does a team's feed, fetched without a login, parse as iCalendar with its village's notice and not the other's?"""
    login(client, world.team_a)
    events = _events(app, _feed_path(client))
    titles = " | ".join(title for title, _ in events)
    assert "甲村" in titles and "秋收公开活动" in titles
    assert "乙村" not in titles and "内部草稿活动" not in titles and "CYB0002" not in titles
    assert all(url.startswith("http://localhost/") for _, url in events)


def test_a_units_feed_never_shows_another_units_pledges(app, client, world):
    """Does a unit's feed carry its own transfer deadline and never another unit's?"""
    login(client, world.partner_b)
    titles = " | ".join(title for title, _ in _events(app, _feed_path(client)))
    assert "CYB0002" in titles and "CYA0001" not in titles and "甲村" not in titles


def test_a_household_gets_a_feed_too(app, client, world):
    """Does a household logged in by phone and PIN get its own feed with its village's notice?"""
    pin_login(client, world.house_a)
    titles = " | ".join(title for title, _ in _events(app, _feed_path(client)))
    assert "甲村" in titles and "乙村" not in titles


def test_the_page_shows_the_same_address_until_it_is_replaced(app, client, world):
    """Is the address stable across visits, and after 'make a new address' does the old one answer 404?"""
    login(client, world.admin)
    old = _feed_path(client)
    assert _feed_path(client) == old
    assert 'action="/calendar/subscribe/new"' in client.get("/calendar/subscribe").get_data(as_text=True)
    assert client.post("/calendar/subscribe/new").status_code == 302
    new = _feed_path(client)
    assert new != old
    assert app.test_client().get(old).status_code == 404
    assert _events(app, new)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="calendar_token_regenerated").count() == 1


def test_the_token_is_not_stored_in_clear(app, client, world):
    """Is the token kept encrypted, with only a keyed digest to look it up?"""
    login(client, world.admin)
    token = _feed_path(client).rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        raw = db.session.execute(db.text("SELECT token, token_index FROM calendar_token")).one()
        assert token not in raw.token and token not in raw.token_index


def test_unknown_or_tampered_tokens_get_404(app, client, world):
    """Does a made-up, shortened or overlong token get 404 and no calendar?"""
    login(client, world.admin)
    path = _feed_path(client)
    anonymous = app.test_client()
    assert anonymous.get("/calendar/nonsense.ics").status_code == 404
    assert anonymous.get(path[:-6] + ".ics").status_code == 404
    assert anonymous.get("/calendar/" + "a" * 300 + ".ics").status_code == 404


def test_a_locked_or_deactivated_users_feed_stops(app, client, world):
    """When an account is deactivated, does its feed stop answering?"""
    login(client, world.team_a)
    path = _feed_path(client)
    with app.app_context():
        db.session.get(User, world.team_a.id).active = False
        db.session.commit()
        assert db.session.get(CalendarToken, world.team_a.id) is not None
    assert app.test_client().get(path).status_code == 404
