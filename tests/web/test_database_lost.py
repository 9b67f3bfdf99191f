"""When the database drops the connection mid-request, people get a calm 503 page, not a crash page."""

from sqlalchemy.exc import DBAPIError, IntegrityError


class _Lost(Exception):
    pass


def test_a_lost_database_connection_answers_503_asking_to_try_again(app):
    """A disconnect (connection invalidated) is a 503 page saying nothing was saved."""
    error = DBAPIError.instance("SELECT 1", {}, _Lost("server closed the connection unexpectedly"), _Lost,
                                connection_invalidated=True)
    with app.test_request_context("/"):
        response = app.make_response(app.handle_user_exception(error))
    assert response.status_code == 503
    assert "这次操作没有保存，请再试一次" in response.get_data(as_text=True)


def test_other_database_errors_are_not_disguised_as_a_lost_connection(app):
    """A real bug (say an integrity error) is not answered as 'busy for a moment'."""
    error = IntegrityError("INSERT", {}, _Lost("duplicate key"))
    with app.test_request_context("/"):
        try:
            app.handle_user_exception(error)
        except IntegrityError:
            return
    raise AssertionError("an integrity error was swallowed as a lost connection")


def test_behind_a_proxy_the_client_address_and_https_come_from_the_forwarded_headers():
    """With COURTYARD_PROXY_HOPS=1 (nginx in front), links are https and rate limits count the real client."""
    from courtyard import create_app
    from courtyard.config import TestConfig

    proxied = create_app(type("Proxied", (TestConfig,), {"PROXY_HOPS": 1, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))

    seen = {}

    @proxied.route("/probe")
    def probe():
        from flask import request, url_for

        seen.update(addr=request.remote_addr, url=url_for("public.home", _external=True))
        return ""

    proxied.test_client().get("/probe", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
                                                 "X-Forwarded-Host": "courtyard.example.cn"})
    assert seen == {"addr": "203.0.113.7", "url": "https://courtyard.example.cn/"}
