"""The ``flask courtyard`` commands."""

from courtyard.extensions import db
from courtyard.models import User


def test_create_admin_then_log_in(app):
    """Does create-admin make a county admin who can log in, and refuse a taken username or short password?"""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courtyard", "create-admin", "--login", "chief", "--name", "局长", "--password", "a-long-secret"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(User).filter_by(login="chief").one().role == "county"
    assert app.test_client().post("/login", data={"login": "chief", "password": "a-long-secret"}).status_code == 302
    again = runner.invoke(args=["courtyard", "create-admin", "--login", "chief", "--name", "x", "--password", "a-long-secret"])
    assert again.exit_code != 0 and "taken" in again.output
    short = runner.invoke(args=["courtyard", "create-admin", "--login", "other", "--name", "x", "--password", "short"])
    assert short.exit_code != 0 and "10 characters" in short.output


def test_demo_command_prints_logins_and_is_safe_twice(app):
    """Does `flask courtyard demo` print every role's login, and add nothing on a second run?"""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["courtyard", "demo"])
    second = runner.invoke(args=["courtyard", "demo"])
    assert first.exit_code == 0 and "admin" in first.output and "team.lijia" in first.output and "PIN 123456" in first.output
    assert "13904530001 on /staff/sign-in" in first.output  # a teacher of 县第一中学 (职工自选)
    assert "already present" in second.output
