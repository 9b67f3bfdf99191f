"""Collection day on a 390 px phone with no signal: recorded on the phone, kept across a reload, synced once
when the signal returns; two phones recording the same household; the field pages fit 360 and 390 px."""

import re
import threading
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from courtyard.extensions import db
from courtyard.models import (
    AuditEvent, CollectionRecord, DeliveryRound, FieldChange, LedgerTransaction, User,
)
from courtyard.services.deliveries.delivery_rounds import allocate_due_rounds
from courtyard.services.money import ledger
from tests.support.browser_pages import new_page, staff_login, staff_session

pytestmark = pytest.mark.browser

CACHED = "() => caches.open('courtyard-field-v1').then(c => c.match(location.pathname)).then(r => !!r)"


def _until(page, script, timeout=15):
    """Poll ``script`` in the page until it is true (wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, script
        page.wait_for_timeout(100)


def _allocated_round(app, demo_logins):
    """The demo's first round, allocated at its cut-off; returns (round id, the team's login and password)."""
    village, login, password = demo_logins.teams[0]
    with app.app_context():
        round_ = db.session.scalar(select(DeliveryRound).where(DeliveryRound.state == "scheduled")
                                   .order_by(DeliveryRound.delivers_on))
        allocate_due_rounds(round_.cutoff_at)
        round_id = round_.id
        db.session.remove()
    return round_id, login, password


def _ready_offline(page):
    """Wait until the service worker controls the page and the page is in its cache."""
    _until(page, "() => navigator.serviceWorker.controller !== null")
    _until(page, CACHED)


def _go_offline(context):
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort())  # set_offline alone lets a service worker through


def _go_online(context):
    context.unroute("**/*")
    context.set_offline(False)


def _count(app, model, *where):
    with app.app_context():
        value = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
        return value


def _status(page):
    return page.inner_text("#sync-status")


class SwitchableServer:
    """The app on a fixed local port that can be switched off and on again: switched off, nothing answers at all."""

    def __init__(self, app):
        self.app, self.port = app, 0
        self.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        # One request at a time over HTTP/1.0: no kept-alive connection can outlive switching off.
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=False)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def field_server(app, demo_logins):
    server = SwitchableServer(app)
    yield server
    server.stop()


def test_a_collection_day_recorded_offline_syncs_once(app, browser, field_server, demo_logins, artifacts):
    """Record with the network off, reload offline, record more, switch the network on: does every change arrive
    once, the ledger post once per accepted line, and the page say 已同步?"""
    round_id, login, password = _allocated_round(app, demo_logins)
    context, page = staff_session(browser, field_server.url, login, password)
    page.goto(field_server.url + "/team/collection")  # the list keeps the coming rounds' sheets on the phone
    _until(page, "() => navigator.serviceWorker.controller !== null")
    _until(page, f"() => caches.open('courtyard-field-v1').then(c => c.match('/team/collection/{round_id}')).then(r => !!r)")
    _go_offline(context)
    field_server.stop()  # as set_offline does not stop the service worker's own requests, nothing may answer them
    page.goto(field_server.url + f"/team/collection/{round_id}")
    expect(page.locator("#sync-status")).not_to_be_empty()  # the sheet's script has read the phone's queue
    cards = page.locator(".hh-card:not(.done)")
    assert cards.count() >= 3

    first = page.locator(f".hh-card[data-household='{cards.nth(0).get_attribute('data-household')}']")
    first_lines = first.locator("form.line-form").count()
    first_units = sum(int(u) for u in first.locator(".hh-line").evaluate_all("lines => lines.map(l => l.dataset.units)"))
    totals_before = sum(int(t) for t in page.locator(".total-accepted").all_inner_texts())
    first.locator("button.card-all-good").click()
    expect(first).to_have_class(re.compile(r"\bdone\b"), timeout=15_000)
    assert sum(int(t) for t in page.locator(".total-accepted").all_inner_texts()) == totals_before + first_units
    second = page.locator(f".hh-card[data-household='{cards.nth(1).get_attribute('data-household')}']")
    form = second.locator("form.line-form").first
    form.locator("button[data-step='-1']").first.click()  # one less accepted
    form.locator("button[data-step='1']").nth(1).click()  # one more rejected
    form.locator("button.chip").first.click()
    form.locator("button.save-line").click()
    expected = first_lines + 1
    expect(page.locator("#sync-status")).to_contain_text(f"未同步 ({expected})")
    assert first.evaluate("card => card.open") is False  # done cards fold away
    page.screenshot(path=str(artifacts / "field-offline-recorded.png"))

    page.reload()  # still offline: the service worker answers from the phone's cache
    expect(page.locator("#sync-status")).to_contain_text(f"未同步 ({expected})")
    assert page.locator(".waiting-tag").count() == expected and "质量不合格" in page.inner_text("#field-sheet")
    third = page.locator(".hh-card:not(.done)").first
    third_lines = third.locator("form.line-form").count()
    third.locator("button.card-all-good").click()
    expected += third_lines
    expect(page.locator("#sync-status")).to_contain_text(f"未同步 ({expected})")
    in_round = CollectionRecord.round_id == round_id
    assert _count(app, FieldChange) == 0 and _count(app, CollectionRecord, in_round) == 0  # nothing left the phone
    postings_before = _count(app, LedgerTransaction, LedgerTransaction.kind == "goods_accepted")

    field_server.start()
    _go_online(context)
    expect(page.locator("#sync-status")).to_contain_text("已同步")
    assert page.locator(".waiting-tag").count() == 0
    assert _count(app, FieldChange) == expected == _count(app, FieldChange, FieldChange.outcome == "applied")
    accepted = _count(app, CollectionRecord, in_round, CollectionRecord.units_accepted > 0)
    assert _count(app, CollectionRecord, in_round) == expected
    assert _count(app, LedgerTransaction, LedgerTransaction.kind == "goods_accepted") - postings_before == accepted
    page.reload()
    expect(page.locator("#sync-status")).to_contain_text("已同步")
    assert page.locator(".hh-line[data-recorded='1']").count() >= expected
    page.screenshot(path=str(artifacts / "field-synced.png"))
    context.close()


def test_two_phones_record_the_same_household_offline(app, browser, live_server, demo_logins):
    """Both phones record one household without signal; the later recording is kept, the other phone is shown
    both recordings, the conflict is logged, and the household is owed once."""
    round_id, login, password = _allocated_round(app, demo_logins)
    with app.app_context():
        team_user = db.session.scalar(select(User).where(User.login == login))
        other = User(role="team", login="second-phone", display_name="李队员", work_team_id=team_user.work_team_id)
        other.set_secret("second-phone-pass")
        db.session.add(other)
        db.session.commit()
        db.session.remove()
    phones = []
    for user, secret in ((login, password), ("second-phone", "second-phone-pass")):
        context, page = new_page(browser)
        staff_login(page, live_server, user, secret)
        page.goto(live_server + f"/team/collection/{round_id}")
        _ready_offline(page)
        phones.append((context, page))
    household_id = phones[0][1].locator(".hh-card:not(.done)").first.get_attribute("data-household")
    for context, _ in phones:
        _go_offline(context)
    (first_context, first), (second_context, second) = phones
    first.locator(f".hh-card[data-household='{household_id}'] button.card-all-good").click()
    expect(first.locator("#sync-status")).to_contain_text("未同步")
    form = second.locator(f".hh-card[data-household='{household_id}'] form.line-form").first
    form.locator("button[data-step='-1']").first.click()
    form.locator("button[data-step='1']").nth(1).click()
    form.locator("input[name=reason]").fill("有虫眼")
    form.locator("button.save-line").click()
    expect(second.locator("#sync-status")).to_contain_text("未同步 (1)")

    _go_online(first_context)
    expect(first.locator("#sync-status")).to_contain_text("已同步")
    _go_online(second_context)
    expect(second.locator("#sync-status")).to_contain_text("已同步")
    problem = second.locator(f"#sync-problems li[data-household='{household_id}']")
    expect(problem).to_have_count(1)  # also after the reload that fetches the re-allocated figures
    words = problem.inner_text()
    assert "另一位队员" in words and "您记录的" in words and "记录的：收下" in words
    with app.app_context():
        records = db.session.scalars(select(CollectionRecord).where(CollectionRecord.household_id == int(household_id))).all()
        kept = next(r for r in records if r.reject_reason == "有虫眼")
        owed = sum(r.units_accepted * r.unit_price_fen for r in records)
        assert ledger.owed_fen(int(household_id)) == owed  # the replaced recording was reversed, not doubled
        assert kept.units_rejected == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "field_change_conflict")) == 1
        outcomes = sorted(db.session.scalars(select(FieldChange.outcome).where(
            FieldChange.household_id == int(household_id))).all())
        assert "replaced" in outcomes and "applied" in outcomes
        db.session.remove()
    for context, _ in phones:
        context.close()


def test_a_server_error_keeps_the_change_on_the_phone(app, browser, live_server, demo_logins):
    """When the server fails, is the change kept and the wait shown in words, and sent once the server is back?"""
    round_id, login, password = _allocated_round(app, demo_logins)
    context, page = staff_session(browser, live_server, login, password)
    page.route("**/team/collection/sync", lambda route: route.fulfill(status=500, body="boom"))
    page.goto(live_server + f"/team/collection/{round_id}")
    page.locator(".hh-card:not(.done) button.card-all-good").first.click()
    expect(page.locator("#sync-status")).to_contain_text("服务器暂时收不了")
    expect(page.locator("#sync-status")).to_contain_text("未同步")
    page.reload()  # as after a crash: the queue is still on the phone
    expect(page.locator("#sync-status")).to_contain_text("未同步")
    assert _count(app, FieldChange) == 0
    page.unroute("**/team/collection/sync")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("#sync-status")).to_contain_text("已同步")
    assert _count(app, FieldChange) == _count(app, FieldChange, FieldChange.outcome == "applied") > 0
    context.close()


def test_the_capacity_grid_stays_on_a_desktop(app, browser, live_server, demo_logins):
    """On a wide screen is every household's row of the capacity grid shown at once, with no pager?"""
    round_id, login, password = _allocated_round(app, demo_logins)
    with app.app_context():
        campaign_id = db.session.get(DeliveryRound, round_id).campaign_id
        db.session.remove()
    context, page = staff_session(browser, live_server, login, password, viewport={"width": 1280, "height": 900})
    page.goto(live_server + f"/team/supply/{campaign_id}")
    rows = page.locator("tr.capacity-card")
    assert rows.count() > 1 and page.locator("tr.capacity-card:visible").count() == rows.count()
    assert not page.locator("#capacity-pager").is_visible()
    context.close()


@pytest.mark.parametrize("width", [360, 390])
def test_the_field_pages_fit_a_phone(app, browser, live_server, demo_logins, artifacts, width):
    """At 360 and 390 px: no sideways scrolling, every button fully on screen and at least 44 px tall, and the
    card text at least 16 px."""
    round_id, login, password = _allocated_round(app, demo_logins)
    with app.app_context():
        campaign_id = db.session.get(DeliveryRound, round_id).campaign_id
        db.session.remove()
    context, page = staff_session(browser, live_server, login, password, viewport={"width": width, "height": 800})
    for path in (f"/team/collection/{round_id}", f"/team/supply/{campaign_id}"):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        boxes = page.evaluate("""() => [...document.querySelectorAll('main button, main [role=button]')]
            .filter(b => b.offsetParent !== null).map(b => { const r = b.getBoundingClientRect();
              return {text: b.textContent.trim(), left: r.left, right: r.right, height: r.height}; })""")
        assert boxes, path
        for box in boxes:
            assert box["left"] >= 0 and box["right"] <= width, (path, box)
            assert box["height"] >= 44, (path, box)
        smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
            '.hh-card, .hh-card *, .capacity-card, .capacity-card *, .field-top, .field-top *')]
            .filter(e => e.offsetParent !== null && e.textContent.trim())
            .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
        assert smallest >= 16, (path, smallest)
        if "collection" in path:  # search by the phone's last digits finds that household's card
            tail = page.locator(".hh-card").first.get_attribute("data-search").split()[-1]
            page.fill("#field-search", tail)
            shown = page.locator(".hh-card:visible")
            assert 1 <= shown.count() < page.locator(".hh-card").count()
            assert all(tail in s for s in shown.evaluate_all("cards => cards.map(c => c.dataset.search)"))
            page.fill("#field-search", "")
        page.screenshot(path=str(artifacts / f"field-{path.split('/')[2]}-{width}.png"))
        if "supply" in path:  # one household card at a time, with previous / next
            cards = page.locator("tr.capacity-card:visible")
            expect(cards).to_have_count(1)
            first = cards.first.get_attribute("data-household")
            page.click("#capacity-pager button[data-page='1']")
            expect(cards).to_have_count(1)
            assert cards.first.get_attribute("data-household") != first
        card = page.locator(".hh-card, .capacity-card:visible").first
        if card.count():
            card.screenshot(path=str(artifacts / f"field-{path.split('/')[2]}-card-{width}.png"))
    context.close()
