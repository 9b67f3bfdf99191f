"""200 partner units race for the last 50 seats of a picking visit, against gunicorn (4 workers) on PostgreSQL.

    python bench/concurrency_visits.py [--clients 200] [--remaining 50] [--workers 4] [--no-write]

Seeds a fresh PostgreSQL database with a visit of 250 seats of which 200 are taken, and 200 units
with a login each; every unit logs in, reads the visit page, then all register one representative at
the same instant (a barrier). Checks, and exits 1 if any fails: exactly 50 are confirmed, the other
150 wait in order 1..150 with no gaps or repeats, and the visit's seat counter equals its capacity and
the number of confirmed registrations. Writes the figures to ``docs/reliability.md``.
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


def seed(environment, clients, remaining, already=200):
    """A visit with ``already`` seats taken of ``already + remaining``; ``clients`` units. Returns the visit id."""
    os.environ.update(environment)
    from werkzeug.security import generate_password_hash

    from courtyard import create_app
    from courtyard.extensions import db
    from courtyard.models import PartnerUnit, Township, User, Village, WorkTeam
    from courtyard.models.accounts import HASH_METHOD
    from courtyard.models.types import utcnow
    from courtyard.services.visits import visits

    app = create_app()
    with app.app_context():
        now = utcnow()
        village = Village(township=Township(name="青山镇"), name="李家村")
        db.session.add_all([village, WorkTeam(village=village, name="李家村驻村工作队")])
        hashed = generate_password_hash(PASSWORD, method=HASH_METHOD)
        for n in range(clients + 1):
            unit = PartnerUnit(name=f"压测单位{n:03d}", kind="company", annual_budget_fen=1)
            db.session.add_all([unit, User(role="partner", login=f"bench.unit{n:03d}", display_name=unit.name,
                                           secret_hash=hashed, partner_unit=unit)])
        db.session.commit()
        starts = now + timedelta(days=7)
        visit = visits.create_visit(None, village.id, visits.VisitDetails(
            title="秋收采摘日", starts_at=starts, ends_at=starts + timedelta(hours=5), meeting_point="村委会门口",
            capacity=already + remaining, per_unit_limit=already + remaining,
            registration_deadline=starts - timedelta(days=1)), now)
        visit.seats_taken = already  # the seats taken before the race, as if by earlier registrations
        db.session.commit()
        return visit.id


def prepare(base, n, visit_id):
    session = requests.Session()
    log_in(session, base, f"bench.unit{n:03d}", PASSWORD)
    page = session.get(f"{base}/partner/visits/{visit_id}", timeout=120).text
    return session, {"csrf_token": csrf_token(page), "name": f"代表{n:03d}", "phone": f"139{n:08d}"}


def race(base, visit_id, prepared, barrier):
    session, data = prepared
    barrier.wait(timeout=300)
    started = time.perf_counter()
    answer = session.post(f"{base}/partner/visits/{visit_id}", data=data, allow_redirects=False, timeout=300)
    return answer.status_code, time.perf_counter() - started


def outcome(environment, visit_id):
    os.environ.update(environment)
    from courtyard import create_app
    from courtyard.extensions import db
    from courtyard.models import Visit
    from courtyard.services.visits.visit_registrations import waitlist_position

    app = create_app()
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        states = {}
        for registration in visit.registrations:
            states[registration.state] = states.get(registration.state, 0) + 1
        positions = sorted(waitlist_position(r) for r in visit.registrations if r.state == "waitlisted")
        return visit.capacity, visit.seats_taken, states, positions


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--remaining", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    database_url = os.environ.get("COURTYARD_BENCH_DATABASE_URL", DEFAULT_DATABASE)
    with tempfile.TemporaryDirectory() as instance:
        environment = app_environment(database_url, "http://127.0.0.1:9", instance)
        fresh_database(database_url, environment)
        visit_id = seed(environment, args.clients, args.remaining)
        with gunicorn(environment, workers=args.workers) as (base, _process):
            with ThreadPoolExecutor(max_workers=8) as pool:
                sessions = list(pool.map(lambda n: prepare(base, n, visit_id), range(1, args.clients + 1)))
            barrier = threading.Barrier(args.clients)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                results = list(pool.map(lambda prepared: race(base, visit_id, prepared, barrier), sessions))
            wall = time.perf_counter() - started
        capacity, taken, states, positions = outcome(environment, visit_id)
    confirmed = states.get("confirmed", 0)
    waiting = args.clients - args.remaining
    checks = {
        f"exactly {args.remaining} confirmed": confirmed == args.remaining,
        f"the other {waiting} wait in order 1..{waiting}": positions == list(range(1, waiting + 1)),
        "seat counter = capacity = seats before + confirmed": taken == capacity == 200 + confirmed,
        "no server error": all(status < 500 for status, _ in results),
    }
    latencies = sorted(elapsed for _, elapsed in results)
    lines = ["## The last seats of a picking visit: 200 units at once", "",
             f"`python bench/concurrency_visits.py --clients {args.clients} --remaining {args.remaining} "
             f"--workers {args.workers}`: gunicorn with {args.workers} sync workers on PostgreSQL, CSRF on, every "
             "unit logged in through the login form, all registrations released together by a barrier.", "",
             "| check | result |", "|---|---|"]
    lines += [f"| {name} | {'yes' if ok else 'NO'} |" for name, ok in checks.items()]
    lines += ["", f"Registrations by state: {', '.join(f'{k} {v}' for k, v in sorted(states.items()))}; seats "
              f"{taken} of {capacity}. Request latency: median {statistics.median(latencies) * 1000:.0f} ms, p95 "
              f"{latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms; whole race {wall:.1f} s."]
    report = "\n".join(lines)
    print(report)
    if not args.no_write:
        write_section(ROOT / "docs" / "reliability.md", "concurrency-visits", report)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
