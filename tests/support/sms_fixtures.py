"""The local SMS sink on a free port, with the app pointed at it (messages and sign-in codes)."""

import pytest

from courtyard.devservices.sms_sink import running_sms_sink


@pytest.fixture
def sms_sink(app, tmp_path):
    """The sink (``.sink.dir`` holds the texts, ``.sink.fail_next(code)``); the app's SMS settings aim at it."""
    saved = {key: app.config[key] for key in ("SMS_ENDPOINT", "SMS_PROTOCOL", "SMS_TIMEOUT", "SMS_LIMITS")}
    with running_sms_sink(tmp_path / "sms", access_key_id=app.config["SMS_ACCESS_KEY_ID"],
                          access_key_secret=app.config["SMS_ACCESS_KEY_SECRET"]) as server:
        app.config.update(SMS_ENDPOINT=f"127.0.0.1:{server.port}", SMS_PROTOCOL="http", SMS_TIMEOUT=1.0,
                          SMS_LIMITS="")
        try:
            yield server
        finally:
            app.config.update(saved)
