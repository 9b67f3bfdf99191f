"""Shared browser fixtures: a live server on a free port with the demo county, and Debian's chromium driven by Playwright."""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from courtyard.demo.base import build_demo, build_demo_campaigns
from courtyard.extensions import db
from courtyard.models.types import utcnow

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def demo_logins(app):
    with app.app_context():
        logins = build_demo()
        build_demo_campaigns(utcnow())
        db.session.remove()
    return logins


@pytest.fixture
def live_server(app, demo_logins):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

