"""Logging in: staff passwords, household PINs that lock, safe redirects, logout."""

from courtyard.extensions import db, limiter
from courtyard.models import User
from tests.support.factories import login, pin_login


def test_each_role_lands_on_its_home(client, make):
    """Does each kind of staff user land on its own home page after login?"""
    village = make.village()
    unit = make.unit(villages=[village])
    for user, home in ((make.admin(), "/county/"), (make.team_member(village), "/team/"), (make.partner_user(unit), "/partner/")):
        response = login(client, user)
        assert response.headers["Location"] == home
        client.post("/logout")


def test_wrong_password_shows_message_and_keeps_username(client, make):
    """Does a wrong password give a clear message on the form, not a crash, and keep the username typed?"""
    user = make.admin()
    response = client.post("/login", data={"login": user.login, "password": "wrong-password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "用户名或密码不正确" in page and f'value="{user.login}"' in page


def test_empty_login_form_marks_each_field(client):
    """Does an empty login form say what is missing next to each field?"""
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "请输入用户名" in page and "请输入密码" in page


def test_household_logs_in_with_phone_and_pin(client, make):
    """Can a household log in with its phone number and 6-digit PIN and see its big-type home?"""
    household = make.household(make.village(), name="王秀英", with_pin=True)
    assert pin_login(client, household).headers["Location"] == "/household/"
    page = client.get("/household/").get_data(as_text=True)
    assert "王秀英" in page and "big-type" in page


def test_pin_pauses_after_five_failures_until_it_ends_or_the_team_resets_it(app, client, make):
    """After 5 wrong PINs is even the right PIN refused with the same answer, until the team sets a new one?"""
    village = make.village()
    household = make.household(village, with_pin=True)
    for attempt in range(5):
        response = client.post("/login/pin", data={"phone": household.phone, "pin": "000000"})
        assert response.status_code == 422
    wrong_page = response.get_data(as_text=True)
    response = client.post("/login/pin", data={"phone": household.phone, "pin": household.pin})
    assert response.status_code == 422 and "手机号或数字密码不正确" in wrong_page
    assert response.get_data(as_text=True).count("手机号或数字密码不正确") == wrong_page.count("手机号或数字密码不正确")

    team_client = app.test_client()
    login(team_client, make.team_member(village))
    assert "暂停" in team_client.get(f"/team/households/{household.id}").get_data(as_text=True)
    team_client.post(f"/team/households/{household.id}/pin", data={"pin": "135790", "confirm": "135790"})
    response = client.post("/login/pin", data={"phone": household.phone, "pin": "135790"})
    assert response.status_code == 302


def test_pin_is_stored_hashed_with_scrypt(app, make):
    """Are PINs and passwords stored only as scrypt hashes?"""
    household = make.household(make.village(), with_pin=True)
    with app.app_context():
        user = db.session.query(User).filter_by(login=household.phone).one()
        assert user.secret_hash.startswith("scrypt:") and household.pin not in user.secret_hash


def test_next_redirects_only_within_the_site(client, make):
    """Is ``next`` followed for a local path but ignored for another site?"""
    user = make.admin()
    response = client.post("/login?next=/county/units", data={"login": user.login, "password": user.password})
    assert response.headers["Location"] == "/county/units"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={evil}", data={"login": user.login, "password": user.password})
        assert response.headers["Location"] == "/county/", evil
        client.post("/logout")


def test_deactivated_staff_cannot_log_in(app, client, make):
    """Does switching an account off stop its login with a clear message?"""
    user = make.admin()
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    page = client.post("/login", data={"login": user.login, "password": user.password}).get_data(as_text=True)
    assert "已停用" in page


def test_logout_needs_post_and_ends_session(client, login_as):
    """Does logout refuse GET and, on POST, end the session?"""
    login_as("county")
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/county/").status_code == 302


def test_login_attempts_are_rate_limited(app, client, make):
    """Are repeated login attempts from one address refused with 429 after the limit?"""
    user = make.admin()
    limit = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        limiter.reset()
        codes = [client.post("/login", data={"login": user.login, "password": "nope"}).status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = limit
        limiter.reset()
    assert codes == [422, 422, 422, 429]


def test_forms_refuse_posts_without_csrf_token(client, make, csrf_on):
    """With CSRF protection on, is a form post without its token refused with a friendly page?"""
    user = make.admin()
    response = client.post("/login", data={"login": user.login, "password": user.password})
    assert response.status_code == 400 and "过期" in response.get_data(as_text=True)
