"""Faults in the middle of real money moves: afterwards nothing is lost or doubled.

    python bench/faults.py [--units 60] [--no-write]

Against gunicorn (4 workers) on PostgreSQL and localstripe, partner units pledge and pay by card
while, in turn:

1. the payment server (localstripe) is stopped in the middle of the run, then started again;
2. every database connection of the app is dropped (``pg_terminate_backend``) several times;
3. gunicorn workers are killed with SIGKILL mid-request;
4. the payment server hangs: localstripe is paused with SIGSTOP for 60 s (it still accepts connections, the
   kernel queues them, and never answers) while 20 more units pledge and pay, one a second, and other
   visitors load the public campaign page and household statements in a loop; reported: the other pages'
   p99 during the hang (goal under 1 s), each payer's time to a clear answer (goal under 10 s) and
   gunicorn's ``WORKER TIMEOUT`` lines (goal none; gunicorn runs with ``--timeout 60`` as in
   ``docs/deploy.md``);
5. then the campaign closes and the scheduler's capture job (``flask courtyard close-campaigns``) is
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

The benchmark always finishes and writes its report: each step runs on its own (a failed step is named
in the report with its error, and the steps after it that can still run do), a service that will not
stop within 15 s is killed (and the report says so), and a check that cannot reach the payment server
or the database is reported as not checked.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.concurrency import PASSWORD, TEST_CARD, prepare, seed  # noqa: E402
from bench.stack import (  # noqa: E402
    DEFAULT_DATABASE, VENV_BIN, app_environment, csrf_token, free_port, fresh_database, gunicorn, machine_note,
    write_section,
)


class PaymentServer:
    """localstripe on a fixed port with its state on disk, so it can be stopped, paused and started again."""

    def __init__(self, state_dir, notes):
        self.state_dir, self.port, self.process, self.notes = Path(state_dir), free_port(), None, notes
        self.url = f"http://127.0.0.1:{self.port}"
        self.paused = False

    def start(self):
        self.state_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.state_dir / "mock.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "courtyard.devservices.stripe_mock", "--host", "127.0.0.1",
                                         "--port", str(self.port), "--state-dir", str(self.state_dir)],
                                        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                requests.get(f"{self.url}/v1/payment_intents", auth=("sk_test_x", ""), timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("localstripe did not start within 30 s")

    def pause(self):
        """SIGSTOP: the port still accepts connections (the kernel queues them) but nothing answers."""
        self.process.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self):
        if self.paused:
            self.process.send_signal(signal.SIGCONT)
            self.paused = False

    def stop(self):
        """Stop it; killed (and noted) if it has not stopped within 15 s of being asked."""
        if self.process is None or self.process.poll() is not None:
            return
        self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
            self.notes.append("the payment server did not stop within 15 s of SIGTERM and was killed")


def pledge_and_pay(base, campaign_id, prepared):
    """One unit's card pledge of one package, then its payment: the outcome as a short word."""
    return pay_timed(base, campaign_id, prepared)[0]


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
    from courtyard.services.payments.card_payments import reconcile_pending
    from courtyard.services.pledges.pledges import expire_unpaid

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
        from courtyard.services.money.ledger import trial_balance

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


HANG_SECONDS = 60
HANG_PAYERS = 20
BASELINE_SECONDS = 20
VISITORS = 4  # anonymous visitors on the public campaign page; as many households on their statements
CLEAR_ANSWERS = {  # what the pay page says, in Chinese (the default) and English
    "told: kept, waiting for the payment result": ("暂时无法连接支付服务", "The payment server cannot be reached"),
    "told: payment service unavailable, pledge kept": ("支付服务暂时不可用", "The payment service is unavailable"),
}


def seed_households(environment, count):
    """``count`` households with a PIN login in one village: [(phone, pin)]."""
    app, _db, _models = _app(environment)
    from tests.support.factories import Factory

    make = Factory(app)
    village = make.village("压测村")
    return [(h.phone, h.pin) for h in (make.household(village, with_pin=True) for _ in range(count))]


def household_session(base, phone, pin):
    session = requests.Session()
    page = session.get(f"{base}/login/pin", timeout=60)
    answer = session.post(f"{base}/login/pin", data={"csrf_token": csrf_token(page.text), "phone": phone, "pin": pin},
                          allow_redirects=False, timeout=60)
    if answer.status_code != 302:
        raise RuntimeError(f"PIN login of {phone} failed with {answer.status_code}")
    return session


def reset_breaker(database_url):
    """Close the payment server's breaker (an earlier fault may have opened it): each fault starts from normal."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM service_breaker"))
    engine.dispose()


def pay_timed(base, campaign_id, prepared):
    """Pledge, then pay: (what the unit was told, seconds from pressing pay to the answer)."""
    session, data = prepared
    try:
        answer = session.post(f"{base}/partner/campaigns/{campaign_id}/pledge", data=data, allow_redirects=False,
                              timeout=120)
        if answer.status_code != 302:
            return f"pledge {answer.status_code}", None
        detail = session.get(base + answer.headers["Location"], timeout=120)
        started = time.perf_counter()
        paid = session.post(detail.url.rstrip("/") + "/pay", data={"csrf_token": csrf_token(detail.text),
                                                                   "card_number": TEST_CARD},
                            allow_redirects=False, timeout=120)
        elapsed = time.perf_counter() - started
    except (requests.RequestException, RuntimeError) as error:
        return f"connection lost ({error.__class__.__name__})", None
    if paid.status_code == 302:
        return "paid", elapsed
    for told, texts in CLEAR_ANSWERS.items():
        if paid.status_code == 422 and any(text in paid.text for text in texts):
            return told, elapsed
    return f"pay {paid.status_code}", elapsed


def visit_until(stop, session, url, latencies, failures):
    """Load ``url`` again and again until ``stop``; every answer's seconds go to ``latencies``."""
    while not stop.is_set():
        started = time.perf_counter()
        try:
            answer = session.get(url, timeout=120)
            if answer.status_code != 200:
                failures.append(answer.status_code)
        except requests.RequestException as error:
            failures.append(error.__class__.__name__)
        latencies.append(time.perf_counter() - started)


def _visitors(base, campaign_id, households):
    return ([(requests.Session(), f"{base}/campaigns/{campaign_id}") for _ in range(VISITORS)]
            + [(session, f"{base}/household/statement") for session in households])


def others_alone(base, campaign_id, households, seconds=BASELINE_SECONDS):
    """The same visitors for ``seconds`` with the payment server answering and nobody paying: the machine's own
    figures, to read the hang's against."""
    stop, latencies, failures = threading.Event(), [], []
    threads = [threading.Thread(target=visit_until, args=(stop, session, url, latencies, failures),
                                daemon=True) for session, url in _visitors(base, campaign_id, households)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=130)
    return {"seconds": seconds, "others": sorted(latencies), "other_failures": failures}


def payment_server_hangs(base, campaign_id, payers, households, stripe, gunicorn_log, seconds=HANG_SECONDS):
    """Pause localstripe for ``seconds`` while the payers pay, one a second, and the others keep loading pages."""
    stop, latencies, failures = threading.Event(), [], []
    visitors = _visitors(base, campaign_id, households)
    timeouts_before = worker_timeouts(gunicorn_log)
    stripe.pause()
    hang_ends = time.monotonic() + seconds
    threads = [threading.Thread(target=visit_until, args=(stop, session, url, latencies, failures), daemon=True)
               for session, url in visitors]
    for thread in threads:
        thread.start()
    try:
        with ThreadPoolExecutor(max_workers=len(payers)) as pool:
            futures = []
            for prepared in payers:
                futures.append(pool.submit(pay_timed, base, campaign_id, prepared))
                time.sleep(1.0)
            answers = [future.result() for future in futures]
        time.sleep(max(0.0, hang_ends - time.monotonic()))
    finally:
        stop.set()
        stripe.resume()
        for thread in threads:
            thread.join(timeout=130)
    told = {}
    for outcome, _seconds in answers:
        told[outcome] = told.get(outcome, 0) + 1
    waits = sorted(wait for _outcome, wait in answers if wait is not None)
    return {"seconds": seconds, "others": sorted(latencies), "other_failures": failures, "told": told, "waits": waits,
            "worker_timeouts": worker_timeouts(gunicorn_log) - timeouts_before}


def worker_timeouts(log_path):
    try:
        return Path(log_path).read_text(encoding="utf-8", errors="replace").count("WORKER TIMEOUT")
    except OSError:
        return 0


def percentile(values, share):
    if not values:
        return None
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


class Steps:
    """Runs each step of the benchmark on its own: what failed, and with what, for the report."""

    def __init__(self):
        self.failures = []

    def run(self, name, function, *args, default=None):
        try:
            return function(*args)
        except Exception as error:  # the report must be written whatever went wrong
            traceback.print_exc()
            self.failures.append((name, f"{error.__class__.__name__}: {error}"[:300]))
            return default


def checked_invariants(environment, stripe_url, offer_id):
    """The invariants, or every check marked 'not checked' with the reason when a service cannot be reached."""
    try:
        return invariants(environment, stripe_url, offer_id)
    except Exception as error:  # PaymentServiceUnavailable, a lost database: reported, not raised
        reason = f"could not reach a service: {error.__class__.__name__}: {str(error)[:120]}"
        return {name: (None, reason) for name in INVARIANT_NAMES}


INVARIANT_NAMES = ("the ledger balances; every captured pledge is booked exactly once",
                   "every package sold is held by a live pledge", "no card pledge left waiting",
                   "every pledge matches its intent, no money held or taken twice")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--hang-seconds", type=int, default=HANG_SECONDS, help="how long the payment server hangs")
    args = parser.parse_args(argv)
    database_url = os.environ.get("COURTYARD_BENCH_DATABASE_URL", DEFAULT_DATABASE)
    quarter = args.units // 4
    machine = machine_note()
    steps, notes, rows = Steps(), [], []
    hang, first, after, settled = None, {}, {}, ({}, 0)
    with tempfile.TemporaryDirectory() as instance:
        stripe = PaymentServer(Path(instance) / "stripe", notes)
        gunicorn_log = Path(instance) / "gunicorn.log"
        try:
            steps.run("start the payment server", stripe.start)
            environment = app_environment(database_url, stripe.url, instance)
            ready = steps.run("prepare the database", lambda: (
                fresh_database(database_url, environment),
                seed(environment, args.units + HANG_PAYERS, remaining=10_000),
                seed_households(environment, VISITORS)))
            if ready is not None and not steps.failures:
                _db, (campaign_id, offer_id), household_logins = ready
                hang = _web_faults(steps, environment, database_url, stripe, gunicorn_log, args, quarter, campaign_id,
                                   household_logins, rows, notes)
                settled = steps.run("reconcile and expire after the web faults", settle, environment,
                                    default=({}, 0))
                first = checked_invariants(environment, stripe.url, offer_id)
                killed = steps.run("close the campaign with the capture job killed mid-run",
                                   close_with_killed_scheduler, environment, campaign_id)
                if killed is not None:
                    rows.append(("campaign close: capture job killed with SIGKILL mid-run, run again after its lease "
                                 "expired", {"killed mid-run" if killed else "finished before the kill": 1}))
                after = checked_invariants(environment, stripe.url, offer_id)
        finally:
            steps.run("stop the payment server", stripe.stop)
        timeouts = worker_timeouts(gunicorn_log)
    report = _report(args, machine, rows, settled, first, after, hang, timeouts, steps.failures, notes)
    print(report)
    if not args.no_write:
        write_section(ROOT / "docs" / "reliability.md", "faults", report)
    checks = [ok for ok, _ in list(first.values()) + list(after.values())]
    hang_ok = hang is not None and all(met is not False for _name, _figure, _goal, met in _hang_figures(hang, timeouts))
    return 0 if checks and all(checks) and hang_ok and not steps.failures else 1


def _web_faults(steps, environment, database_url, stripe, gunicorn_log, args, quarter, campaign_id, household_logins,
                rows, notes):
    """The faults under gunicorn (4 workers, --timeout 60): returns the hang's figures (None if it could not run)."""
    hang = None
    try:
        with gunicorn(environment, workers=4, timeout=60, log_path=gunicorn_log) as (base, master):
            with ThreadPoolExecutor(max_workers=6) as pool:
                sessions = list(pool.map(lambda n: prepare(base, n, campaign_id), range(1, args.units + 1)))
                payers = list(pool.map(lambda n: prepare(base, n, campaign_id),
                                       range(args.units + 1, args.units + HANG_PAYERS + 1)))
                households = list(pool.map(lambda login: household_session(base, *login), household_logins))
            batches = [sessions[i * quarter:(i + 1) * quarter] for i in range(3)]

            def stripe_outage():  # runs in a timer thread: its trouble is noted, and the server started again
                try:
                    stripe.stop()
                    time.sleep(3)
                    stripe.start()
                except Exception as error:
                    notes.append(f"restarting the payment server after its outage: {error}; tried once more")
                    stripe.stop()
                    stripe.start()

            faults = (("payment server stopped mid-run, started 3 s later", stripe_outage),
                      ("all database connections dropped 4 times", lambda: drop_connections(database_url)),
                      ("3 gunicorn workers killed with SIGKILL", lambda: kill_workers(master)))
            for (name, fault), batch in zip(faults, batches):
                steps.run("close the breaker before the next fault", reset_breaker, database_url)
                counts = steps.run(name, run_with_fault, base, campaign_id, batch, fault)
                if counts is not None:
                    rows.append((name, counts))
            steps.run("close the breaker before the hang", reset_breaker, database_url)
            baseline = steps.run("the other visitors alone, payment server answering", others_alone, base, campaign_id,
                                 households)
            hang = steps.run("payment server hangs", payment_server_hangs, base, campaign_id, payers, households, stripe,
                             gunicorn_log, args.hang_seconds)
            if hang is not None:
                hang["baseline"] = baseline
                rows.append((f"payment server hangs (SIGSTOP) for {args.hang_seconds} s while {HANG_PAYERS} units pay",
                             hang["told"]))
    except Exception as error:  # gunicorn would not start, a login failed: the report says so
        traceback.print_exc()
        steps.failures.append(("serve the app and log the units in", f"{error.__class__.__name__}: {error}"[:300]))
    finally:
        stripe.resume()
    return hang


def _loads(figures):
    others = figures["others"]
    if not others:
        return "no loads"
    slow = sum(1 for seconds in others if seconds > 1.0)
    return (f"{percentile(others, 0.99) * 1000:.0f} ms (p50 {percentile(others, 0.5) * 1000:.0f} ms, max "
            f"{others[-1] * 1000:.0f} ms; {slow} of {len(others)} loads over 1 s, {len(figures['other_failures'])} failed)")


def _hang_figures(hang, timeouts):
    """(measure, figure, goal, met) for the hang scenario; met is None for a figure that has no goal."""
    others, waits = hang["others"], hang["waits"]
    p99, slowest_wait = percentile(others, 0.99), (waits[-1] if waits else None)
    told = sum(n for outcome, n in hang["told"].items() if outcome.startswith(("told", "paid")))
    figures = []
    if hang.get("baseline"):
        figures.append(("for comparison: the same visitors, payment server answering, nobody paying "
                        f"({hang['baseline']['seconds']} s): p99", _loads(hang["baseline"]), "—", None))
    figures += [
        ("other pages (campaign page, household statements) during the hang: p99", _loads(hang),
         "under 1 s", bool(others) and p99 < 1.0 and not hang["other_failures"]),
        ("payers' time from pressing pay to a clear answer: slowest",
         f"{slowest_wait:.1f} s (median {statistics.median(waits):.1f} s; {told} of {HANG_PAYERS} told clearly)"
         if waits else "no answers", "under 10 s",
         bool(waits) and slowest_wait < 10 and told == HANG_PAYERS),
        ("gunicorn WORKER TIMEOUT lines (during the hang / whole run)", f"{hang['worker_timeouts']} / {timeouts}", "0",
         hang["worker_timeouts"] == 0 and timeouts == 0),
    ]
    return figures


def _mark(ok):
    return "not checked" if ok is None else ("yes" if ok else "NO")


def _report(args, machine, rows, settled, first, after, hang, timeouts, failures, notes):
    reconciled, expired = settled
    lines = ["## Faults mid-run", "",
             f"`python bench/faults.py --units {args.units}`: gunicorn (4 sync workers, `--timeout 60`) on PostgreSQL "
             "with localstripe; units pledge one package by card and pay, 6 at a time, while one fault is injected per "
             "batch; then the payment server hangs.", "", machine, ""]
    if failures:
        lines += ["**The run did not go through every step.** Failed steps:", ""]
        lines += [f"- {name}: `{error}`" for name, error in failures]
        lines.append("")
    else:
        lines += ["Every step of the run finished.", ""]
    if notes:
        lines += [f"- {note}" for note in notes] + [""]
    lines += ["| fault | what the units saw |", "|---|---|"]
    lines += [f"| {name} | {', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))} |" for name, counts in rows]
    if hang is not None:
        lines += ["", f"### The payment server hangs ({hang['seconds']} s)", "",
                  f"localstripe paused with SIGSTOP (connections accepted, never answered) for {hang['seconds']} s; "
                  f"{HANG_PAYERS} units pledge and pay, one a second from the start of the hang; "
                  f"{VISITORS} anonymous visitors load the public campaign page and {VISITORS} households their "
                  "statements in a loop the whole time.", "",
                  "| measure | figure | goal | met |", "|---|---|---|---|"]
        lines += [f"| {name} | {figure} | {goal} | {'—' if met is None else 'yes' if met else 'NO'} |"
                  for name, figure, goal, met in _hang_figures(hang, timeouts)]
    else:
        lines += ["", "The payment server hang could not be run (see the failed steps)."]
    lines += ["", f"Afterwards the reconcile job settled "
              f"{', '.join(f'{k} {v}' for k, v in reconciled.items() if v) or 'nothing'}; "
              f"the expiry job ended {expired} abandoned pledges.", "",
              "| check | after the web faults | after the killed capture job |", "|---|---|---|"]
    for name in INVARIANT_NAMES:
        before_ok, before_detail = first.get(name, (None, "the run stopped before it"))
        after_ok, after_detail = after.get(name, (None, "the run stopped before it"))
        lines.append(f"| {name} | {_mark(before_ok)} ({before_detail}) | {_mark(after_ok)} ({after_detail}) |")
    lines += ["", NOTES]
    return "\n".join(lines)


NOTES = """Notes: a request whose database connection is cut answers a 503 page ("nothing was saved, try again"),
not a crash page; a client whose gunicorn worker is killed sees its connection drop, and its pledge is
settled afterwards by the reconcile and expiry jobs. A capture job killed mid-run keeps its lease for 15
minutes; the scheduler's next run after that finishes the captures (each capture is idempotent at
Stripe and booked once in the ledger). The breaker is closed before each fault, so each starts from normal.

While the payment server hangs, a payment waits on it at most 4 s in all (1 s to connect, 3 s per read, no
retries), and at most 2 workers of the host wait at once (the slots); a third payer answers at once when both
have waited over 2 s. After 3 failures in a row the breaker answers every card action at once for 20 s, then
lets one call try again. "Waiting for the payment result" pledges are completed or released by the reconcile
job once the server answers; "service unavailable" ones were never begun and wait for the card as before
(the expiry job ends those never paid). The first row of the hang's table is the same visitors on the same
machine with nothing failing, to read the others' p99 against: the machine is shared with other test runs."""


if __name__ == "__main__":
    sys.exit(main())
