"""Sessions end when they should: logout, a new PIN, deactivation and "sign out everywhere" end copies
of the cookie too, and a household's remember cookie lasts 30 days."""

from datetime import datetime, timezone

from courtyard.extensions import db
from courtyard.models import User
from courtyard.services.identity import accounts
from tests.support.factories import login, pin_login


def _copy_cookies(source, target, names=("session", "remember_token")):
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def _is_in(client, path):
    return client.get(path).status_code == 200


def test_a_copied_cookie_stops_working_after_logout(app, client, make):
    """Does a session cookie copied before logout stop working once the user logs out?"""
    admin = make.admin()
    login(client, admin)
    thief = app.test_client()
    _copy_cookies(client, thief, ("session",))
    assert _is_in(thief, "/county/")
    client.post("/logout")
    assert not _is_in(thief, "/county/")


def test_a_household_remember_cookie_lasts_30_days_and_ends_with_a_new_pin(app, client, make):
    """Is a household's remember cookie good for 30 days, and does a team's new PIN end it and the session?"""
    village = make.village()
    household = make.household(village, with_pin=True)
    pin_login(client, household)
    cookie = client.get_cookie("remember_token")
    left = cookie.expires - datetime.now(timezone.utc)
    assert 29 <= left.days <= 30
    remembered = app.test_client()
    _copy_cookies(client, remembered, ("remember_token",))
    assert _is_in(remembered, "/household/")
    team = app.test_client()
    login(team, make.team_member(village))
    assert team.post(f"/team/households/{household.id}/pin", data={"pin": "583027", "confirm": "583027"}).status_code == 302
    fresh = app.test_client()
    _copy_cookies(client, fresh, ("remember_token",))
    assert not _is_in(client, "/household/") and not _is_in(fresh, "/household/")


def test_the_team_signs_a_household_out_everywhere(app, client, make):
    """Does "sign out everywhere" on the household's page end its logins, while its PIN still works?"""
    village = make.village()
    household = make.household(village, with_pin=True)
    pin_login(client, household)
    team = app.test_client()
    login(team, make.team_member(village))
    assert "全部退出登录" in team.get(f"/team/households/{household.id}").get_data(as_text=True)
    team.post(f"/team/households/{household.id}/sign-out")
    assert not _is_in(client, "/household/")
    pin_login(client, household)
    assert _is_in(client, "/household/")


def test_deactivation_ends_sessions_even_after_reactivation(app, client, make):
    """Does a deactivated staff user's old session stay dead when the account is switched back on?"""
    member = make.team_member(make.village())
    login(client, member)
    with app.app_context():
        user = db.session.get(User, member.id)
        accounts.set_staff_active(None, user, False)
        accounts.set_staff_active(None, db.session.get(User, member.id), True)
    assert not _is_in(client, "/team/")


def test_a_new_password_ends_the_old_sessions(app, client, make):
    """Does replacing a staff user's password end the sessions made with the old one?"""
    admin = make.admin()
    login(client, admin)
    with app.app_context():
        user = db.session.get(User, admin.id)
        user.set_secret("a-brand-new-password")
        db.session.commit()
    assert not _is_in(client, "/county/")
