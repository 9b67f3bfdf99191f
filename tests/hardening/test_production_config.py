"""Production refuses development secrets, the Stripe mock and the SMS sink, sends HSTS, and will not load the demo."""

import pytest

from courtyard import create_app
from courtyard.config import ProductionConfig

REAL = {
    "SECRET_KEY": "x" * 40,
    "STRIPE_SECRET_KEY": "sk_live_real_key",
    "STRIPE_WEBHOOK_SECRET": "whsec_real_endpoint_secret",
    "STRIPE_API_BASE": None,
    "STRIPE_LOCALSTRIPE": False,
    "STRIPE_PUBLISHABLE_KEY": "pk_live_real_key",
    "STRIPE_JS_URL": "https://js.stripe.com/v3/",
    "STRIPE_ALLOW_TEST": False,
    "SMS_ACCESS_KEY_SECRET": "a-real-accesskey-secret",
    "SMS_ENDPOINT": "dysmsapi.aliyuncs.com",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
}


def _production(tmp_path, **overrides):
    settings = {**REAL, "UPLOAD_DIR": str(tmp_path / "uploads"), **overrides}
    return create_app(type("Prod", (ProductionConfig,), settings))


@pytest.mark.parametrize("overrides", [
    {"STRIPE_WEBHOOK_SECRET": "whsec_courtyard_local"},
    {"STRIPE_SECRET_KEY": "sk_test_courtyard_local"},
    {"STRIPE_LOCALSTRIPE": True},
    {"STRIPE_API_BASE": "http://127.0.0.1:8420"},
    {"STRIPE_API_BASE": "http://stripe-mock.internal:12111"},
    {"STRIPE_SECRET_KEY": "sk_test_51Habc"},
    {"STRIPE_PUBLISHABLE_KEY": "pk_test_51Habc"},
    {"STRIPE_PUBLISHABLE_KEY": None},
    {"STRIPE_JS_URL": "http://127.0.0.1:8420/js.stripe.com/v3/"},
    {"SECRET_KEY": "dev-only-not-secret"},
    {"STRIPE_WEBHOOK_SECRET": None},
    {"SMS_ACCESS_KEY_SECRET": "courtyard-dev-secret"},
    {"SMS_ENDPOINT": "127.0.0.1:8430"},
])
def test_production_refuses_development_settings(tmp_path, overrides):
    """Does a production app refuse to start with the dev webhook secret, localstripe or a dev key?"""
    with pytest.raises(RuntimeError, match="Refusing to start in production"):
        _production(tmp_path, **overrides)


def test_production_may_rehearse_on_a_stripe_test_account_when_told(tmp_path):
    """Does COURTYARD_STRIPE_ALLOW_TEST=1 let production start with a test account's keys (and nothing else)?"""
    app = _production(tmp_path, STRIPE_SECRET_KEY="sk_test_51Habc", STRIPE_PUBLISHABLE_KEY="pk_test_51Habc",
                      STRIPE_ALLOW_TEST=True)
    assert app.config["STRIPE_SECRET_KEY"] == "sk_test_51Habc"
    with pytest.raises(RuntimeError, match="localstripe"):
        _production(tmp_path, STRIPE_SECRET_KEY="sk_test_51Habc", STRIPE_PUBLISHABLE_KEY="pk_test_51Habc",
                    STRIPE_ALLOW_TEST=True, STRIPE_API_BASE="http://127.0.0.1:8420")


def test_production_sends_hsts_and_development_does_not(tmp_path, client):
    """Does every production answer carry Strict-Transport-Security, and a development one not?"""
    production = _production(tmp_path).test_client()
    header = production.get("/login", base_url="https://localhost").headers.get("Strict-Transport-Security")
    assert header and header.startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_demo_command_refuses_production(tmp_path):
    """Does `flask courtyard demo` refuse to write known passwords into a production database?"""
    result = _production(tmp_path).test_cli_runner().invoke(args=["courtyard", "demo"])
    assert result.exit_code != 0 and "not in production" in result.output


def test_deploy_guide_sends_hsts():
    """Does the nginx example in docs/deploy.md add Strict-Transport-Security?"""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text()
    assert 'add_header Strict-Transport-Security "max-age=' in text


def test_production_starts_with_its_secrets_from_the_environment(tmp_path):
    """Does a production server start when its own secrets come from COURTYARD_* variables, as deployed?"""
    import os
    import subprocess
    import sys

    environment = {**os.environ, "COURTYARD_ENV": "production", "COURTYARD_SECRET_KEY": "k" * 40,
                   "COURTYARD_STRIPE_SECRET_KEY": "sk_live_real_key", "COURTYARD_STRIPE_PUBLISHABLE_KEY": "pk_live_real_key",
                   "COURTYARD_STRIPE_WEBHOOK_SECRET": "whsec_real_endpoint_secret",
                   "COURTYARD_SMS_ACCESS_KEY_SECRET": "a-real-accesskey-secret",
                   "COURTYARD_SMS_ENDPOINT": "dysmsapi.aliyuncs.com",
                   "COURTYARD_DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
                   "COURTYARD_INSTANCE_PATH": str(tmp_path)}
    environment.pop("COURTYARD_STRIPE_API_BASE", None)
    result = subprocess.run([sys.executable, "-c", "from courtyard import create_app; "
                             "print(create_app().config['PRODUCTION'])"],
                            env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "True"
