"""The public home and campaign list: kept in the public page cache, figures drawn by the job with their time.

The landing page is the most visited page, so nothing on it may sum the whole county per visit: for
visitors without cookies it is answered from the public page cache, and its money figures are the ones
the ``refresh-dashboard`` job last drew, with the time they were drawn.
"""

from sqlalchemy import update

from courtyard import jobs
from courtyard.extensions import db
from courtyard.models import Campaign, Pledge
from courtyard.models.types import utcnow
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from courtyard.text.formatting import fen
from tests.support.campaigns import make_buyer, make_campaign
from tests.support.factories import login


def _paid_pledge(app, campaign, unit, quantity):
    with app.app_context():
        now = utcnow()
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], quantity)], "transfer", now)
        pledges.record_transfer(None, db.session.get(Pledge, pledge.id), pledge.total_fen, "BANK", now, now)


def test_anonymous_visitors_get_the_kept_home_and_campaign_list(app, client, make, monkeypatch):
    """With the public page cache on, does a visitor without cookies get the home page and the campaign list as
    kept (a renamed campaign shows only later), while a logged-in user sees the change at once?"""
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 30)
    monkeypatch.setitem(app.extensions, "short_cache", {})
    campaign = make_campaign(app, around=utcnow())
    first = {url: client.get(url) for url in ("/", "/campaigns")}
    assert all(r.status_code == 200 and r.headers["Cache-Control"] == "public, max-age=30" for r in first.values())
    assert all("2026 囤年货" in r.get_data(as_text=True) for r in first.values())
    with app.app_context():
        db.session.execute(update(Campaign).where(Campaign.id == campaign.id).values(title="改过的标题"))
        db.session.commit()
    for url, response in first.items():
        again = client.get(url)
        assert again.get_data() == response.get_data() and "改过的标题" not in again.get_data(as_text=True)
    member = app.test_client()
    login(member, make.admin())
    assert all("改过的标题" in member.get(url).get_data(as_text=True) for url in ("/", "/campaigns"))


def test_the_home_shows_the_figures_the_job_drew_and_when(app, client):
    """Does the home page show money raised as the refresh-dashboard job last drew it, saying when, and the new
    figure once the job has run again?"""
    campaign, unit = make_campaign(app, around=utcnow(), price_fen=10000), make_buyer(app)
    _paid_pledge(app, campaign, unit, 2)
    with app.app_context():
        jobs.refresh_dashboard()
    page = client.get("/").get_data(as_text=True)
    assert fen(20000) in page and "figures-as-of" in page
    _paid_pledge(app, campaign, unit, 3)
    page = client.get("/").get_data(as_text=True)
    assert fen(20000) in page and fen(50000) not in page  # the kept figure until the job runs
    with app.app_context():
        jobs.refresh_dashboard()
    assert fen(50000) in client.get("/").get_data(as_text=True)


def test_before_the_job_has_run_the_home_counts_the_figures_itself(app, client):
    """On a fresh installation, before the job has drawn anything, is money raised still right (and undated)?"""
    campaign, unit = make_campaign(app, around=utcnow(), price_fen=10000), make_buyer(app)
    _paid_pledge(app, campaign, unit, 2)
    page = client.get("/").get_data(as_text=True)
    assert fen(20000) in page and "figures-as-of" not in page
