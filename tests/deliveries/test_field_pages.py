"""The collection-day sheet without JavaScript, and what makes the field pages installable and offline-ready."""

import re

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, DeliveryRound, Household, ProduceItem
from courtyard.services.deliveries import delivery_rounds
from tests.deliveries.rounds import planned_round
from tests.support.factories import login


def _allocated(app, make):
    r = planned_round(app, make)
    with app.app_context():
        db.session.get(ProduceItem, r.item_id).unit = "500 g 袋"
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        r.round_id = round_.id
        r.lines = [(l.household_id, l.units) for l in db.session.scalars(
            select(AllocationLine).join(AllocationRun).where(AllocationRun.round_id == round_.id, AllocationLine.units > 0))]
        r.names = {h.id: h.head_name for h in db.session.scalars(select(Household))}
    r.team = make.team_member(r.village)
    return r


def test_the_sheet_is_one_card_per_household_in_pick_list_order_and_posts_without_javascript(app, make, client):
    """Are the households' cards in name order with "N 袋 (每袋 500 g)", each open line a plain form to the record
    address, and does posting one (as a phone without JavaScript would) fold that card as done?"""
    r = _allocated(app, make)
    login(client, r.team)
    page = client.get(f"/team/collection/{r.round_id}").get_data(as_text=True)
    order = [int(h) for h in re.findall(r'<details class="hh-card[^"]*" data-household="(\d+)"', page)]
    assert order == sorted({h for h, _ in r.lines}, key=lambda h: (r.names[h], h))
    household_id, units = r.lines[0]
    assert f"{units} 袋 (每袋 500 g)" in page
    assert page.count(f'action="/team/collection/{r.round_id}/record" class="line-form"') == len(r.lines)
    response = client.post(f"/team/collection/{r.round_id}/record",
                           data={"household": household_id, "item": r.item_id, "accepted": units, "rejected": 0})
    assert response.status_code == 302
    page = client.get(f"/team/collection/{r.round_id}").get_data(as_text=True)
    card = re.search(rf'<details class="hh-card([^"]*)" data-household="{household_id}"[^>]*>', page)
    assert "done" in card.group(1) and " open" not in card.group(0)
    assert page.count('class="line-form"') == len(r.lines) - 1
    # the running total, and each line's figure the page's script adds up again after every change
    assert f'<b class="total-accepted">{units}</b>' in page
    assert f'data-item="{r.item_id}" data-units="{units}" data-recorded="1" data-accepted="{units}"' in page


def test_the_field_pages_are_installable_and_name_their_service_worker(app, make, client):
    """Does the sheet link a manifest whose icons are served, and is the service worker served under /team/ as a
    script the browser will not keep stale?"""
    r = _allocated(app, make)
    login(client, r.team)
    page = client.get(f"/team/collection/{r.round_id}").get_data(as_text=True)
    manifest_url = re.search(r'<link rel="manifest" href="([^"]+)"', page).group(1)
    manifest = client.get(manifest_url).get_json()
    assert manifest["start_url"] == "/team/collection" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200 and served.mimetype == "image/png"
    worker = client.get(re.search(r'data-sw="([^"]+)"', page).group(1))
    assert worker.status_code == 200 and "javascript" in worker.mimetype
    assert worker.headers["Cache-Control"] == "no-cache" and b"caches" in worker.data
    assert "script-src 'self'" in worker.headers["Content-Security-Policy"]


def test_changes_need_the_fresh_token_to_be_accepted(app, make, client):
    """With CSRF protection on, is a sync without a token refused, and one with the token from /team/field/token
    (what a page opened offline long ago fetches first) accepted?"""
    r = _allocated(app, make)
    household_id, units = r.lines[0]
    change = {"id": "c0ffee00c0ffee00", "round_id": r.round_id, "household_id": household_id, "item_id": r.item_id,
              "accepted": units, "rejected": 0, "reason": "", "made_at": "2026-12-17T08:00:00+00:00"}
    login(client, r.team)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/team/collection/sync", json={"changes": [change]}).status_code == 400
        token = client.get("/team/field/token")
        assert token.headers["Cache-Control"] == "no-store"
        response = client.post("/team/collection/sync", json={"changes": [change]},
                               headers={"X-CSRFToken": token.get_json()["csrf_token"]})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200 and response.get_json()["results"][0]["outcome"] == "applied"
