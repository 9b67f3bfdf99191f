"""The API's error shape on every failure, and its page-numbered lists."""

from courtyard.extensions import db
from courtyard.models import User
from tests.support.api import bearer


def _error(response):
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def test_no_token_a_wrong_token_or_a_session_cookie_all_answer_401(client, login_as):
    """Without a valid bearer token the API answers 401 JSON, even to a logged-in browser."""
    assert _error(client.get("/api/v1/me"))["code"] == "unauthorized"
    assert client.get("/api/v1/me", headers=bearer("cyt_not-a-token")).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    login_as("county")
    response = client.get("/api/v1/campaigns")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_locked_users_token_stops_working(app, client, make, token_for):
    """Locking or deactivating an account stops its tokens too."""
    admin = make.admin()
    secret = token_for(admin)
    with app.app_context():
        db.session.get(User, admin.id).locked = True
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_unknown_paths_and_wrong_methods_answer_json(client, make, token_for):
    """A missing record, an unknown path and a wrong method all use the one error shape."""
    secret = token_for(make.admin())
    assert _error(client.get("/api/v1/campaigns/999999", headers=bearer(secret)))["code"] == "not_found"
    assert _error(client.get("/api/v1/nothing-here", headers=bearer(secret)))["code"] == "not_found"
    response = client.delete("/api/v1/campaigns", headers=bearer(secret))
    assert response.status_code == 405 and _error(response)["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_messages_follow_accept_language(client):
    """English for clients that ask for it, Chinese otherwise."""
    english = _error(client.get("/api/v1/me", headers={"Accept-Language": "en"}))["message"]
    assert english.startswith("Send a valid API token")


def test_lists_are_paged_with_a_link_to_the_next_page(client, make, token_for):
    """per_page cuts the list; ``next`` points at the following page until the last one."""
    village = make.village()
    for _ in range(5):
        make.household(village)
    secret = token_for(make.team_member(village))
    first = client.get("/api/v1/households?per_page=2", headers=bearer(secret)).get_json()
    assert (len(first["data"]), first["total"], first["page"]) == (2, 5, 1)
    second = client.get(first["next"], headers=bearer(secret)).get_json()
    third = client.get(second["next"], headers=bearer(secret)).get_json()
    assert second["page"] == 2 and third["next"] is None and len(third["data"]) == 1
    ids = [h["id"] for page in (first, second, third) for h in page["data"]]
    assert len(set(ids)) == 5


def test_bad_paging_numbers_are_a_400_naming_the_parameter(client, make, token_for):
    """page=0 or per_page=500 is refused with the parameter named in ``fields``."""
    secret = token_for(make.admin())
    for query, name in (("page=0", "page"), ("per_page=500", "per_page"), ("page=x", "page")):
        response = client.get(f"/api/v1/campaigns?{query}", headers=bearer(secret))
        assert response.status_code == 400 and name in _error(response)["fields"]


def test_each_token_has_its_own_rate_limit(app, client, make, token_for):
    """Past the limit a token gets 429 JSON; another token is not held back by it."""
    admin = make.admin()
    busy, calm = token_for(admin, "busy"), token_for(admin, "calm")
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        answers = [client.get("/api/v1/me", headers=bearer(busy)).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        assert _error(client.get("/api/v1/me", headers=bearer(busy)))["code"] == "rate_limited"
        assert client.get("/api/v1/me", headers=bearer(calm)).status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = "100000 per minute"
