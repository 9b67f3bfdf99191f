"""Faults in the middle of real money moves: afterwards nothing is lost or doubled.

    python bench/faults.py [--units 60] [--no-write]

Against gunicorn (4 workers) on PostgreSQL and localstripe, partner units pledge and pay by card
while, in turn:

1. the payment server (localstripe) is stopped in the middle of the run, then started again;
2. every database connection of the app is dropped (``pg_terminate_backend``) several times;
3. gunicorn workers are killed with SIGKILL mid-request;
4. then the campaign closes and the scheduler's capture job (``flask courtyard close-campaigns``) is
   killed with SIGKILL mid-run and started again once its lease has expired (the dead run's lease keeps
   every other run off for 15 minutes; the benchmark fast-forwards that wait).

After the faults the jobs that exist for this run (payment reconciliation, expiry of abandoned card
pledges, campaign close), and the invariants are checked against the database and against the payment
server: the ledger balances and books every capture exactly once; every package sold is held by exactly one
live pledge; every card pledge's state matches its
PaymentIntent (a hold for ``authorized``, a capture of exactly the pledge's total for ``paid``,
nothing held for the others); no PaymentIntent holds or took money for a pledge that is not
``authorized`` or ``paid``; no pledge has two live intents. Exits 1 if any fails; writes
``docs/reliability.md``.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
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

from bench.concurrency import PASSWORD, TEST_CARD, prepare, seed  # noqa: E402
from bench.stack import (  # noqa: E402
    DEFAULT_DATABASE, VENV_BIN, app_environment, csrf_token, free_port, fresh_database, gunicorn, write_section,
)


class PaymentServer:
    """localstripe on a fixed port with its state on disk, so it can be stopped and started again."""

    def __init__(self, state_dir):
        self.state_dir, self.port, self.process = Path(state_dir), free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        self.state_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.state_dir / "mock.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "courtyard.devservices.stripe_mock", "--host", "127.0.0.1",
                                         "--port", str(self.port), "--state-dir", str(self.state_dir)],
                                        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(150):
            try:
                requests.get(f"{self.url}/v1/payment_intents", auth=("sk_test_x", ""), timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("localstripe did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def pledge_and_pay(base, campaign_id, prepared):
    """One unit's card pledge of one package, then its payment: the outcome as a short word."""
    session, data = prepared
    try:
        answer = session.post(f"{base}/partner/campaigns/{campaign_id}/pledge", data=data, allow_redirects=False,
                              timeout=60)
        if answer.status_code != 302:
            return f"pledge {answer.status_code}"
        detail = session.get(base + answer.headers["Location"], timeout=60)
        paid = session.post(detail.url.rstrip("/") + "/pay", data={"csrf_token": csrf_token(detail.text),
                                                                   "card_number": TEST_CARD},
                            allow_redirects=False, timeout=60)
        return "paid" if paid.status_code == 302 else f"pay {paid.status_code}"
    except (requests.RequestException, RuntimeError) as error:
        return f"connection lost ({error.__class__.__name__})"


def run_with_fault(base, campaign_id, sessions, fault, delay=1.0):
    """Pledge and pay for every session, 6 at a time, while ``fault`` runs after ``delay`` seconds."""
    injector = threading.Timer(delay, fault)
    injector.start()
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda prepared: pledge_and_pay(base, campaign_id, prepared), sessions))
    injector.join()
    counts = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def drop_connections(database_url, times=4, pause=0.7):
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        for _ in range(times):
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            conn.commit()
            time.sleep(pause)
    engine.dispose()


def kill_workers(master, times=3, pause=0.8):
    rng = random.Random(7)
    for _ in range(times):
        children = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout.split()
        if children:
            os.kill(int(rng.choice(children)), signal.SIGKILL)
        time.sleep(pause)


def close_with_killed_scheduler(environment, campaign_id):
    """Close the campaign now; SIGKILL the capture job mid-run, then run it again to the end."""
    app, db, models = _app(environment)
    with app.app_context():
        campaign = db.session.get(models.Campaign, campaign_id)
        campaign.closes_at = campaign.opens_at + timedelta(seconds=1)
        db.session.commit()
    command = [str(VENV_BIN / "flask"), "--app", "courtyard", "courtyard", "close-campaigns"]
    env = {**os.environ, **environment}
    job = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = _kill_when_half_captured(job, environment["COURTYARD_DATABASE_URL"])
    if killed:
        _expire_lease(environment["COURTYARD_DATABASE_URL"], "close-campaigns")
    for _ in range(3):
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return killed


def _kill_when_half_captured(job, database_url, deadline=120):
    """SIGKILL the job as soon as some card pledges are captured and some still wait: True if it was killed."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        stop = time.monotonic() + deadline
        while job.poll() is None and time.monotonic() < stop:
            with engine.connect() as conn:
                states = dict(conn.execute(text("SELECT state, COUNT(*) FROM pledge WHERE method = 'card' "
                                                "GROUP BY state")).all())
            if states.get("paid", 0) and states.get("authorized", 0):
                job.send_signal(signal.SIGKILL)
                job.wait()
                return True
            time.sleep(0.02)
        job.wait()
        return False
    finally:
        engine.dispose()


def _expire_lease(database_url, job_id):
    """Fast-forward the dead run's lease to its expiry (15 minutes in real time), as a restarted scheduler
    would find it then; until then every other run of the job is skipped."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE job_lease SET expires_at = NOW() - INTERVAL '1 second' WHERE job_id = :id"),
                     {"id": job_id})
    engine.dispose()


def settle(environment):
    """The jobs that clean up after faults: reconcile card payments, expire abandoned card pledges."""
    app, db, _ = _app(environment)
    from courtyard.models.types import utcnow
    from courtyard.services.card_payments import reconcile_pending
    from courtyard.services.pledges import expire_unpaid

    with app.app_context():
        reconciled = reconcile_pending(utcnow(), older_than=timedelta(0))
        db.session.commit()
        expired = expire_unpaid(utcnow() + timedelta(days=1))
        db.session.commit()
    return reconciled, expired


def invariants(environment, stripe_url, offer_id):
    """The money checks, as {name: (ok, detail)}."""
    app, db, models = _app(environment)
    from sqlalchemy import func, select

    from courtyard.models.pledges import HOLDING_STATES
    from courtyard.payments.client import StripeClient

    client = StripeClient("sk_test_courtyard_local", stripe_url, localstripe_compat=True)
    intents = list(client.iter_payment_intents())
    with app.app_context():
        offer = db.session.get(models.CampaignPackage, offer_id)
        held = db.session.scalar(select(func.coalesce(func.sum(models.PledgeLine.quantity), 0))
                                 .join(models.Pledge).where(models.PledgeLine.offer_id == offer_id,
                                                            models.Pledge.state.in_(HOLDING_STATES)))
        pledges = {p.id: (p.state, p.total_fen) for p in db.session.scalars(
            select(models.Pledge).where(models.Pledge.method == "card"))}
        pending = sum(1 for state, _ in pledges.values() if state == "payment_pending")
        from courtyard.services.ledger import trial_balance

        _balances, balanced = trial_balance()
        booked = dict(db.session.execute(select(models.LedgerTransaction.pledge_id, func.count())
                                         .where(models.LedgerTransaction.kind == "payment_captured")
                                         .group_by(models.LedgerTransaction.pledge_id)).all())
    live = {}
    wrong = []
    for intent in intents:
        pledge_id = int((intent.get("metadata") or {}).get("pledge_id", 0))
        state, total = pledges.get(pledge_id, ("unknown", 0))
        status = intent["status"]
        if status == "requires_capture":
            live.setdefault(pledge_id, []).append(intent["id"])
            if state != "authorized" or intent["amount"] != total:
                wrong.append(f"{intent['id']} holds money for a {state} pledge")
        elif status == "succeeded":
            live.setdefault(pledge_id, []).append(intent["id"])
            if state != "paid" or intent.get("amount_received", intent["amount"]) != total:
                wrong.append(f"{intent['id']} took money for a {state} pledge")
    for pledge_id, (state, _) in pledges.items():
        if state in ("authorized", "paid") and len(live.get(pledge_id, [])) != 1:
            wrong.append(f"pledge {pledge_id} ({state}) has {len(live.get(pledge_id, []))} live intents")
    unbooked = [pledge_id for pledge_id, (state, _) in pledges.items() if state == "paid" and booked.get(pledge_id) != 1]
    return {
        "the ledger balances; every captured pledge is booked exactly once": (
            balanced and not unbooked and all(count == 1 for count in booked.values()),
            f"{sum(booked.values())} captures booked" + (f", not booked: {unbooked[:5]}" if unbooked else "")),
        "every package sold is held by a live pledge": (offer.sold == held, f"sold {offer.sold}, held {held}"),
        "no card pledge left waiting": (pending == 0, f"{pending} payment_pending"),
        "every pledge matches its intent, no money held or taken twice": (not wrong, "; ".join(wrong[:5]) or
                                                                          f"{len(intents)} intents checked"),
    }


def _app(environment):
    os.environ.update(environment)
    import courtyard.models as models
    from courtyard import create_app
    from courtyard.extensions import db

    global _APP
    if "_APP" not in globals():
        _APP = create_app()
    return _APP, db, models


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    database_url = os.environ.get("COURTYARD_BENCH_DATABASE_URL", DEFAULT_DATABASE)
    quarter = args.units // 4
    rows = []
    with tempfile.TemporaryDirectory() as instance:
        stripe = PaymentServer(Path(instance) / "stripe")
        stripe.start()
        environment = app_environment(database_url, stripe.url, instance)
        fresh_database(database_url, environment)
        campaign_id, offer_id = seed(environment, args.units, remaining=10_000)
        try:
            with gunicorn(environment, workers=4) as (base, master):
                with ThreadPoolExecutor(max_workers=6) as pool:
                    sessions = list(pool.map(lambda n: prepare(base, n, campaign_id), range(1, args.units + 1)))
                batches = [sessions[i * quarter:(i + 1) * quarter] for i in range(3)]

                def stripe_outage():
                    stripe.stop()
                    time.sleep(3)
                    stripe.start()

                rows.append(("payment server stopped mid-run, started 3 s later",
                             run_with_fault(base, campaign_id, batches[0], stripe_outage)))
                rows.append(("all database connections dropped 4 times",
                             run_with_fault(base, campaign_id, batches[1], lambda: drop_connections(database_url))))
                rows.append(("3 gunicorn workers killed with SIGKILL",
                             run_with_fault(base, campaign_id, batches[2], lambda: kill_workers(master))))
            reconciled, expired = settle(environment)
            first = invariants(environment, stripe.url, offer_id)
            killed = close_with_killed_scheduler(environment, campaign_id)
            rows.append(("campaign close: capture job killed with SIGKILL mid-run, run again after its lease expired",
                         {"killed mid-run" if killed else "finished before the kill": 1}))
            after = invariants(environment, stripe.url, offer_id)
        finally:
            stripe.stop()
    report = _report(args, rows, reconciled, expired, first, after)
    print(report)
    if not args.no_write:
        write_section(ROOT / "docs" / "reliability.md", "faults", report)
    return 0 if all(ok for ok, _ in list(first.values()) + list(after.values())) else 1


def _report(args, rows, reconciled, expired, first, after):
    lines = ["## Faults mid-run", "",
             f"`python bench/faults.py --units {args.units}`: gunicorn (4 workers) on PostgreSQL with localstripe; "
             "units pledge one package by card and pay, 6 at a time, while one fault is injected per batch.", "",
             "| fault | what the units saw |", "|---|---|"]
    lines += [f"| {name} | {', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))} |" for name, counts in rows]
    lines += ["", f"Afterwards the reconcile job settled {', '.join(f'{k} {v}' for k, v in reconciled.items() if v) or 'nothing'}; "
              f"the expiry job ended {expired} abandoned pledges.", "", "| check | after the web faults | after the killed capture job |",
              "|---|---|---|"]
    for name in first:
        lines.append(f"| {name} | {'yes' if first[name][0] else 'NO'} ({first[name][1]}) | "
                     f"{'yes' if after[name][0] else 'NO'} ({after[name][1]}) |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
