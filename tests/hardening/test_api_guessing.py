"""Random bearer tokens are rate-limited per address: past the limit, 429 without a database lookup."""

from courtyard.api import auth as api_auth
from courtyard.extensions import limiter


def test_failed_authentications_are_limited_per_address(app, client, monkeypatch):
    """After 3 bad tokens from one address, is the 4th answered 429 without looking the token up,
    while another address still gets its 401?"""
    looked_up = []
    real = api_auth.user_for_secret
    monkeypatch.setattr(api_auth, "user_for_secret", lambda *args: looked_up.append(1) or real(*args))
    app.config["API_FAILED_AUTH_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        answers = [client.get("/api/v1/me", headers={"Authorization": f"Bearer cyt_guess{n}"}).status_code
                   for n in range(5)]
        assert answers == [401, 401, 401, 429, 429] and len(looked_up) == 3
        other = client.get("/api/v1/me", headers={"Authorization": "Bearer cyt_x"},
                           environ_base={"REMOTE_ADDR": "198.51.100.7"})
        assert other.status_code == 401
    finally:
        app.config["API_FAILED_AUTH_LIMIT"] = "100000 per minute"
        limiter.reset()
