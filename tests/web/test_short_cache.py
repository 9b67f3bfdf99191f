"""Pages kept a few seconds per worker: public campaign pages for anonymous visitors, the county's figures."""

from sqlalchemy import update

from courtyard.extensions import db
from courtyard.models import Campaign
from courtyard.models.types import utcnow
from tests.support.campaigns import make_campaign
from tests.support.factories import login


def test_anonymous_visitors_get_a_kept_campaign_page_and_logged_in_users_a_fresh_one(app, client, make, monkeypatch):
    """With PUBLIC_PAGE_CACHE_SECONDS on, a change within that time is not yet on the page a visitor without
    cookies gets (which says it may be kept), another query string or a logged-in user sees it at once, and a
    campaign that is not there is not kept."""
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 30)
    monkeypatch.setitem(app.extensions, "short_cache", {})
    campaign = make_campaign(app, around=utcnow())
    url = f"/campaigns/{campaign.id}"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, max-age=30"
    assert "Set-Cookie" not in first.headers and "X-Courtyard-Page-Cache" not in first.headers
    with app.app_context():
        db.session.execute(update(Campaign).where(Campaign.id == campaign.id).values(title="改过的标题"))
        db.session.commit()
    again = client.get(url)
    assert again.get_data() == first.get_data() and "改过的标题" not in again.get_data(as_text=True)
    assert client.get(url + "?fresh=1").status_code == 200 and "改过的标题" in client.get(url + "?x=2").get_data(as_text=True)
    other = app.test_client()
    login(other, make.admin())
    fresh = other.get(url)
    assert "改过的标题" in fresh.get_data(as_text=True) and "Cache-Control" not in fresh.headers
    assert client.get(f"/campaigns/{campaign.id + 999}").status_code == 404


def test_without_the_setting_nothing_is_kept(app, client):
    """With PUBLIC_PAGE_CACHE_SECONDS 0 (the tests' setting), each anonymous visit shows the figures of the moment."""
    campaign = make_campaign(app, around=utcnow())
    url = f"/campaigns/{campaign.id}"
    client.get(url)
    with app.app_context():
        db.session.execute(update(Campaign).where(Campaign.id == campaign.id).values(title="改过的标题"))
        db.session.commit()
    response = client.get(url)
    assert "改过的标题" in response.get_data(as_text=True) and "Cache-Control" not in response.headers


def test_the_county_figures_are_kept_for_a_minute_and_say_when_they_were_drawn(app, make, monkeypatch):
    """With DASHBOARD_CACHE_SECONDS on, goods accepted just after a visit show on the next visit only once the
    figures are recomputed; every visit says when its figures were drawn."""
    from tests.support.dashboards import page, small_county
    from tests.support.money import accept

    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.extensions, "short_cache", {})
    c = small_county(app, make)
    admin = make.admin()
    url = "/county/dashboard?period=month&start=2026-12-01"
    _status, first = page(app, admin, url)
    assert 'data-figure="reached">4' in first and "data-drawn-at=" in first
    accept(app, c.households["idle"].id, c.campaign_id, c.item_id, 2)
    _status, kept = page(app, admin, url)
    assert 'data-figure="reached">4' in kept
    app.extensions["short_cache"].clear()
    _status, fresh = page(app, admin, url)
    assert 'data-figure="reached">5' in fresh


def test_files_that_say_public_are_not_kept(app, client, monkeypatch):
    """A photo (sent with ``Cache-Control: public``) is not held in memory by the public page cache."""
    from pathlib import Path

    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 30)
    monkeypatch.setitem(app.extensions, "short_cache", {})
    name = "0123456789abcdef0c0ffee0.jpg"
    Path(app.config["UPLOAD_DIR"], name).write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    response = client.get(f"/photos/{name}")
    assert response.status_code == 200 and response.headers["Cache-Control"].startswith("public")
    assert not app.extensions["short_cache"].get("public_pages")
