"""Logins that can't be used against households: PIN pauses that end, one answer for every failure,
a failure record a success does not wipe, a daily limit, a county alarm, no trivial PINs, even timing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import LoginFailure, User
from courtyard.models.types import utcnow
from courtyard.services.identity import accounts
from tests.support.factories import login

WRONG = "975310"


def _error_text(response):
    page = response.get_data(as_text=True)
    start = page.index('class="form-errors') if 'class="form-errors' in page else page.index("<form")
    return page[start:page.index("</form>", start)].split('name="phone"')[0]


def _pin(client, phone, pin):
    return client.post("/login/pin", data={"phone": phone, "pin": pin})


def _try(app, phone, pin, now, daily_limit=10):
    with app.test_request_context():
        try:
            return accounts.authenticate_household(phone, pin, 5, daily_limit, "203.0.113.9", now)
        except DomainError as error:
            return str(error.message)


def test_one_answer_for_unknown_phones_wrong_pins_and_paused_pins(app, client, make):
    """Do an unknown phone, a wrong PIN and a paused household's right PIN get the same status and message?"""
    household = make.household(make.village(), with_pin=True)
    unknown = _pin(client, "13999999999", WRONG)
    wrong = _pin(client, household.phone, WRONG)
    for _ in range(4):
        _pin(client, household.phone, WRONG)
    paused = _pin(client, household.phone, household.pin)
    assert unknown.status_code == wrong.status_code == paused.status_code == 422
    assert _error_text(unknown) == _error_text(wrong) == _error_text(paused)


def test_a_pin_pause_ends_by_itself_and_grows(app, make):
    """Do 5 wrong PINs pause logins for 15 minutes only, and 5 more after that for an hour?"""
    household = make.household(make.village(), with_pin=True)
    start = utcnow()
    for _ in range(5):
        _try(app, household.phone, WRONG, start)
    assert isinstance(_try(app, household.phone, household.pin, start + timedelta(minutes=14)), str)
    for _ in range(5):
        _try(app, household.phone, WRONG, start + timedelta(minutes=16), daily_limit=None)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == household.phone))
        assert user.locked_until == start + timedelta(minutes=16) + timedelta(hours=1) and not user.locked
    later = start + timedelta(minutes=16, hours=1, seconds=1)
    assert isinstance(_try(app, household.phone, household.pin, later, daily_limit=None), User)


def test_failures_are_kept_after_a_success_and_limited_per_day(app, make):
    """Does a success leave the failures counted, so 4 guesses a round hit the daily limit of 10?"""
    household = make.household(make.village(), with_pin=True)
    now = utcnow()
    for round_ in range(2):
        for _ in range(4):
            _try(app, household.phone, WRONG, now)
        assert isinstance(_try(app, household.phone, household.pin, now), User)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginFailure).where(
            LoginFailure.login == household.phone)) == 8
    for _ in range(2):
        _try(app, household.phone, WRONG, now)
    assert isinstance(_try(app, household.phone, household.pin, now), str)  # the 10 of the day are used
    assert isinstance(_try(app, household.phone, household.pin, now + timedelta(hours=25)), User)


def test_the_county_sees_an_alarm_when_failures_spread_over_many_phones(app, client, make):
    """Do failed PINs on 20 phones in the last hour raise an alarm on /county/jobs, and 3 phones not?"""
    login(client, make.admin())
    now = utcnow()
    for n in range(3):
        _try(app, f"1390000{n:04d}", WRONG, now)
    page = client.get("/county/jobs").get_data(as_text=True)
    assert "data-pin-failures" in page and "data-pin-alarm" not in page
    for n in range(3, 20):
        _try(app, f"1390000{n:04d}", WRONG, now)
    page = client.get("/county/jobs").get_data(as_text=True)
    assert "data-pin-alarm" in page and "20" in page


@pytest.mark.parametrize("pin", ["000000", "111111", "123456", "654321", "121212", "LAST6", "BIRTHDAY"])
def test_a_team_cannot_set_a_trivial_pin(app, client, make, pin):
    """Is each easy-to-guess PIN refused at the field when the team sets it?"""
    village = make.village()
    household = make.household(village, phone="13812345678")
    pin = {"LAST6": "345678", "BIRTHDAY": household.id_number[8:14]}.get(pin, pin)
    login(client, make.team_member(village))
    response = client.post(f"/team/households/{household.id}/pin", data={"pin": pin, "confirm": pin})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == household.phone)) is None
    good = client.post(f"/team/households/{household.id}/pin", data={"pin": "583027", "confirm": "583027"})
    assert good.status_code == 302


@pytest.mark.parametrize("form", ["staff", "household"])
def test_an_unknown_login_costs_one_hash_like_a_known_one(client, monkeypatch, form):
    """Does a login for nobody hash the secret once, so it takes as long as a real user's wrong one?"""
    from courtyard.models import accounts as account_model

    calls = []
    real = account_model.check_password_hash
    monkeypatch.setattr(account_model, "check_password_hash", lambda *args: calls.append(1) or real(*args))
    if form == "staff":
        client.post("/login", data={"login": "nobody-here", "password": "a-guess-123"})
    else:
        _pin(client, "13999999998", WRONG)
    assert len(calls) == 1
