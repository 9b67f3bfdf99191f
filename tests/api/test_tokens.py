"""The API tokens page: a token is shown once, stored only as a digest, can be revoked, and is audited."""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import ApiToken, AuditEvent
from tests.support.api import bearer
from tests.support.factories import login, pin_login


def _make_token(client, name="会计表格"):
    response = client.post("/api-tokens", data={"name": name})
    html = response.get_data(as_text=True)
    if "token-secret" not in html:
        return response, None
    return response, html.split('id="token-secret" type="text" readonly value="', 1)[1].split('"', 1)[0]


def test_a_new_token_is_shown_once_and_works_for_the_api(app, client, make):
    """Making a token shows the secret once; it authenticates API calls; the page never shows it again."""
    admin = make.admin()
    login(client, admin)
    response, secret = _make_token(client)
    assert response.status_code == 200 and secret.startswith("cyt_")
    assert client.get("/api/v1/me", headers=bearer(secret)).get_json()["id"] == admin.id
    page = client.get("/api-tokens").get_data(as_text=True)
    assert "会计表格" in page and secret not in page and secret[:10] in page
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert secret not in (token.digest, token.hint) and token.last_used_at is not None
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.entity == "api_token")) == "api_token_created"


def test_a_revoked_token_stops_working_at_once(app, client, make):
    """After revoking, the same secret answers 401 in the API's error shape."""
    user = make.partner_user(make.unit())
    login(client, user)
    _response, secret = _make_token(client)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert client.post(f"/api-tokens/{token_id}/revoke").status_code == 302
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert f"/api-tokens/{token_id}/revoke" not in client.get("/api-tokens").get_data(as_text=True)


def test_nobody_can_revoke_someone_elses_token(app, client, make, token_for):
    """Another user's token id is 404 on the revoke button, and the token keeps working."""
    owner, other = make.admin(), make.admin()
    secret = token_for(owner)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    login(client, other)
    assert client.post(f"/api-tokens/{token_id}/revoke").status_code == 404
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name(client, login_as):
    """An empty name is refused next to the field, and nothing is made."""
    login_as("county")
    response, secret = _make_token(client, name="  ")
    assert response.status_code == 422 and secret is None
    assert 'class="field-error"' in response.get_data(as_text=True)


def test_a_households_token_reads_only_its_own_account(client, make, token_for):
    """Households may make tokens too; theirs reach /me but not the work team's household list."""
    household = make.household(make.village(), with_pin=True)
    pin_login(client, household)
    response, secret = _make_token(client, name="孙女的手机")
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=bearer(secret)).get_json()["household_id"] == household.id
    assert client.get("/api/v1/households", headers=bearer(secret)).status_code == 403
