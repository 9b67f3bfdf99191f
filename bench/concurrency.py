"""200 partner units race for the last 50 packages, against gunicorn (4 workers) on PostgreSQL.

    python bench/concurrency.py [--clients 200] [--remaining 50] [--workers 4] [--no-write]

Seeds a fresh PostgreSQL database (``COURTYARD_BENCH_DATABASE_URL`` or ``courtyard_bench``) with an
all-or-nothing campaign whose one package has 50 left, and 200 units, each with a login and an
address. Every unit logs in, then all post a card pledge for one package at the same instant (a
barrier), and the ones that got a pledge pay it with the test card (a hold at localstripe).

Checks, and exits 1 if any fails: exactly 50 pledges succeed; the package's ``sold`` equals its cap;
localstripe holds exactly one uncaptured PaymentIntent per successful pledge and none besides (no
hold left behind for a refused unit). Writes the figures to ``docs/reliability.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stack import DEFAULT_DATABASE, app_environment, csrf_token, fresh_database, gunicorn, log_in, write_section  # noqa: E402

PASSWORD = "bench-unit-password"
TEST_CARD = "4242424242424242"


def seed(environment, clients, remaining, already_sold=200):
    """The campaign (cap = already sold + remaining) and ``clients`` units; returns the offer id."""
    os.environ.update(environment)
    from werkzeug.security import generate_password_hash

    from courtyard import create_app
    from courtyard.extensions import db
    from courtyard.models import (
        Campaign, CampaignPackage, CampaignStateChange, DeliveryAddress, Package, PackageItem, PartnerUnit,
        ProduceItem, User,
    )
    from courtyard.models.accounts import HASH_METHOD
    from courtyard.models.types import utcnow
    from courtyard.services.pledges import pledges
    from courtyard.services.pledges.pledges import LineInput

    app = create_app()
    with app.app_context():
        now = utcnow()
        item = ProduceItem(name="笨鹅", category="poultry", unit="只", price_fen=16800)
        package = Package(name="囤年货套餐", price_fen=39800, lines=[PackageItem(item=item, quantity=1)])
        offer = CampaignPackage(package=package, price_fen=39800, cap=already_sold + remaining, sold=0)
        campaign = Campaign(title="最后五十份", mode="all_or_nothing", goal_kind="packages", goal_value=10,
                            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7), state="open",
                            offers=[offer], changes=[CampaignStateChange(to_state="open", at=now)])
        db.session.add(campaign)
        hashed = generate_password_hash(PASSWORD, method=HASH_METHOD)
        for n in range(clients + 1):
            unit = PartnerUnit(name=f"压测单位{n:03d}", kind="company", annual_budget_fen=100_000_000)
            db.session.add(unit)
            db.session.flush()
            db.session.add_all([DeliveryAddress(unit_id=unit.id, label="食堂", address=f"县城路{n}号"),
                                User(role="partner", login=f"bench.unit{n:03d}", display_name=unit.name,
                                     secret_hash=hashed, partner_unit=unit)])
        db.session.commit()
        first = db.session.query(PartnerUnit).filter_by(name="压测单位000").one()
        address = db.session.query(DeliveryAddress).filter_by(unit_id=first.id).one()
        early = pledges.create_pledge(None, first.id, campaign.id, [LineInput(offer.id, address.id, already_sold)],
                                      "transfer", now)
        pledges.record_transfer(None, early, early.total_fen, "EARLY", now, now)
        db.session.commit()
        return campaign.id, offer.id


def prepare(base, n, campaign_id):
    """Log unit ``n`` in and read its pledge form: (session, form data for one package by card)."""
    session = requests.Session()
    log_in(session, base, f"bench.unit{n:03d}", PASSWORD)
    form = session.get(f"{base}/partner/campaigns/{campaign_id}/pledge", timeout=120).text
    address = form.split('name="lines-0-address_id"', 1)[1].split('value="', 2)[1].split('"', 1)[0]
    offers = form.split('name="lines-0-offer_id"', 1)[1].split("</select>", 1)[0].split('value="')[1:]
    return session, {"csrf_token": csrf_token(form), "lines-0-offer_id": offers[-1].split('"', 1)[0],
                     "lines-0-address_id": address, "lines-0-quantity": "1", "method": "card"}


def race(base, campaign_id, prepared, barrier):
    """Wait for everyone, pledge one package by card, pay if the pledge was taken: (outcome, seconds)."""
    session, data = prepared
    barrier.wait(timeout=300)
    started = time.perf_counter()
    answer = session.post(f"{base}/partner/campaigns/{campaign_id}/pledge", data=data, allow_redirects=False, timeout=300)
    elapsed = time.perf_counter() - started
    if answer.status_code >= 500:
        return f"server error {answer.status_code}", elapsed
    if answer.status_code != 302:
        return "refused", elapsed
    detail = session.get(base + answer.headers["Location"], timeout=300)
    paid = session.post(detail.url.rstrip("/") + "/pay", data={"csrf_token": csrf_token(detail.text),
                                                               "card_number": TEST_CARD},
                        allow_redirects=False, timeout=300)
    return ("held" if paid.status_code == 302 else f"pay failed {paid.status_code}"), elapsed


def holds_at_stripe(stripe_url):
    """PaymentIntents at localstripe by status."""
    counts, params = {}, {"limit": 100}
    while True:
        page = requests.get(f"{stripe_url}/v1/payment_intents", params=params,
                            auth=("sk_test_courtyard_local", ""), timeout=30).json()
        for intent in page["data"]:
            counts[intent["status"]] = counts.get(intent["status"], 0) + 1
        if not page.get("has_more"):
            return counts
        params["starting_after"] = page["data"][-1]["id"]


def database_state(environment, offer_id):
    os.environ.update(environment)
    from sqlalchemy import func, select

    from courtyard import create_app
    from courtyard.extensions import db
    from courtyard.models import CampaignPackage, Pledge

    app = create_app()
    with app.app_context():
        offer = db.session.get(CampaignPackage, offer_id)
        states = dict(db.session.execute(select(Pledge.state, func.count()).where(Pledge.method == "card")
                                         .group_by(Pledge.state)).all())
        return offer.sold, offer.cap, states


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--remaining", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    database_url = os.environ.get("COURTYARD_BENCH_DATABASE_URL", DEFAULT_DATABASE)

    from courtyard.devservices.stripe_mock import running_stripe_mock

    with tempfile.TemporaryDirectory() as instance, running_stripe_mock(Path(instance) / "stripe") as stripe_url:
        environment = app_environment(database_url, stripe_url, instance)
        fresh_database(database_url, environment)
        campaign_id, offer_id = seed(environment, args.clients, args.remaining)
        with gunicorn(environment, workers=args.workers) as (base, _process):
            with ThreadPoolExecutor(max_workers=8) as pool:
                sessions = list(pool.map(lambda n: prepare(base, n, campaign_id), range(1, args.clients + 1)))
            barrier = threading.Barrier(args.clients)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                results = list(pool.map(lambda prepared: race(base, campaign_id, prepared, barrier), sessions))
            wall = time.perf_counter() - started
        sold, cap, states = database_state(environment, offer_id)
        intents = holds_at_stripe(stripe_url)

    outcomes = {}
    for outcome, _ in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    latencies = sorted(elapsed for _, elapsed in results)
    held = outcomes.get("held", 0)
    checks = {
        f"exactly {args.remaining} pledges succeed": held == args.remaining,
        "the package is sold out, never oversold": sold == cap,
        "one card hold per successful pledge": intents.get("requires_capture", 0) == held == states.get("authorized", 0),
        "no other PaymentIntent left behind": sum(intents.values()) == held,
        "no server error": not any(o.startswith("server error") for o in outcomes),
    }
    report = _report(args, outcomes, latencies, wall, sold, cap, states, intents, checks)
    print(report)
    if not args.no_write:
        write_section(ROOT / "docs" / "reliability.md", "concurrency-pledges", report)
    return 0 if all(checks.values()) else 1


def _report(args, outcomes, latencies, wall, sold, cap, states, intents, checks):
    p50, p95 = statistics.median(latencies), latencies[int(len(latencies) * 0.95) - 1]
    lines = [
        "## The last packages: 200 units at once",
        "",
        f"`python bench/concurrency.py --clients {args.clients} --remaining {args.remaining} --workers {args.workers}`: "
        f"gunicorn with {args.workers} sync workers on PostgreSQL, localstripe, CSRF on, every unit logged in through "
        "the login form, all pledge requests released together by a barrier.",
        "",
        "| check | result |",
        "|---|---|",
    ]
    lines += [f"| {name} | {'yes' if ok else 'NO'} |" for name, ok in checks.items()]
    lines += [
        "",
        f"Outcomes: {', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))}. Sold {sold} of cap {cap}. "
        f"Card pledges by state: {', '.join(f'{k} {v}' for k, v in sorted(states.items()))}. "
        f"PaymentIntents at the mock: {', '.join(f'{k} {v}' for k, v in sorted(intents.items())) or 'none'}.",
        f"Pledge request latency: median {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms; whole race {wall:.1f} s "
        f"(2 CPUs shared by the clients, gunicorn, PostgreSQL and the mock).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
