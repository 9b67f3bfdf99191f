"""Every GET page and API endpoint, for every role, on the small demo and at county size.

    python bench/pages.py [--runs 9] [--only sqlite|postgresql] [--rebuild] [--no-write]

For each database (SQLite and PostgreSQL) it makes sure two databases hold the demo
(``flask courtyard demo``) and the county-sized demo (``flask courtyard demo --scale county``) at the
newest schema, with the dashboard's summary and the public figures drawn as the ``refresh-dashboard``
job would (building takes about a minute on SQLite and several on PostgreSQL; they are reused after).
Then, in a fresh process per database with the production settings (page caches on), it takes one
user of each role (the county admin; the first work team, partner unit and household of the small
demo, or ``team.c001``, ``unit.c001`` and the busiest household of that team's village at county
size), fills every route's parameters with real ids of objects those users may see, and requests every
GET route of ``app.url_map`` through the Flask test client, one request at a time: once to warm up,
then ``--runs`` times (a page taking over a second the first time twice more, a file only that once). Logged-in visitors carry a session (the route matrix's way of logging in); the
JSON API gets each user's bearer token. A route is measured for anonymous visitors if they get a 200,
and for each role that gets a 200 (public pages: anonymous and the county admin only).

The table, sorted by the county-size median, gives the median, the p95 (nearest rank), the small
demo's median and the ratio of the two, next to the goals of issue #25: at most 50 ms median and
none over 100 ms (p95) for logged-in pages, at most 10 ms median for public pages, and at most 2× the
small demo's time. Each database's table goes to its own section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stack import VENV_BIN, machine_note, write_section  # noqa: E402

DATA = Path(os.environ.get("COURTYARD_BENCH_PAGES_DIR", ROOT / "instance" / "bench"))
DATABASES = {
    "sqlite": (os.environ.get("COURTYARD_BENCH_SMALL_SQLITE_URL", f"sqlite:///{DATA / 'small.db'}"),
               os.environ.get("COURTYARD_BENCH_COUNTY_SQLITE_URL", f"sqlite:///{DATA / 'county.db'}")),
    "postgresql": (os.environ.get("COURTYARD_BENCH_SMALL_DATABASE_URL",
                                  "postgresql+psycopg://postgres@127.0.0.1:5432/courtyard_bench_small"),
                   os.environ.get("COURTYARD_BENCH_COUNTY_DATABASE_URL",
                                  "postgresql+psycopg://postgres@127.0.0.1:5432/courtyard_bench_county")),
}
VISITORS = ("anonymous", "county", "team", "partner", "household")
PAGE_GOAL_MS, PAGE_CEILING_MS, PUBLIC_GOAL_MS, RATIO_GOAL = 50, 100, 10, 2.0
PAGE_TYPES = ("text/html", "application/json")  # anything else is a file: a PDF, CSV, XLSX or calendar
SLOW_MS = 1000  # a file slower than this the first time is timed only that once, a page twice more
NOT_PAGES = {  # GET routes with nothing to measure here, and why
    "static": "files from disk",
    "public.health": "a liveness probe",
    "public.set_language": "stores a cookie and redirects",
    "public.photo": "a file from the upload folder",
    "auth.logout": "signs out",
    "calendar.feed": "needs a calendar's secret token",
    "public.trace_page": "needs a box's trace code",
    "county.round_labels": "every box label of a whole round as one PDF (about 7,700 labels at county size): "
                           "minutes of drawing, a print job rather than a page",
    "county.pledge_lines_export": "all 200,000 pledge lines as one file: bench/exports.py holds it to its own goal",
}
# What a page or file costs, where the benchmark shows it missing a goal (written next to its row).
PDF = "a PDF drawn with fpdf2 (fonts embedded): about a second of drawing even for the small demo"
COSTS = {
    "county.campaign_split": "splits a campaign's counted pledges (about 5,000 at county size) among the villages' "
                             "declared capacity afresh on every visit (a supply page, #23's)",
    "county.delivery_list": "loaded every box of the listed deliveries (about 1,250 a page) only to count them",
    "county.round_detail": "loaded every box of the listed deliveries (about 1,250 a page) only to count them",
    "api.delivery_list": "each delivery carries its boxes' trace codes (the API's shape): about 500 boxes a page of 20",
    "api.delivery_detail": "a delivery's boxes with their trace codes",
    "county.delivery_detail": "a delivery's boxes and where each box's goods came from (box, batches, households)",
    "api.allocation_run_detail": "a whole allocation run, every household line of the village, in one document (not paged)",
    "api.pledge_list": "sorted the county's 100,000 pledges by time for every page (an index on created_at, id now)",
    "county.dashboard_table": "a file: every figure of the dashboard as XLSX, drawn from the summary",
    "county.monthly_report": PDF, "county.payout_voucher": PDF, "team.payout_voucher": PDF,
    "county.delivery_labels": PDF, "county.round_labels": PDF, "household.statement_pdf": PDF,
    "public.allocation_notice_pdf": PDF, "team.collection_pick_list": PDF, "team.village_statements": PDF,
    "county.pledge_lines_export": "a file: all 200,000 pledge lines, streamed (bench/exports.py: 8.7 s on a quiet machine)",
    "county.payout_batch_csv": "a file: the bank file, the one place card numbers are decrypted",
    "county.reconciliation_page": "sums the whole ledger (about 500,000 entries) by campaign, account and kind, then "
                                  "again by account for the trial balance, on every visit: NOT fixed here; the way is "
                                  "a third summary beside the dashboard's, refreshed by the same job",
}


# ---------------------------------------------------------------- building the data


def _flask(environment, *args, quiet=True):
    """A flask command on the bench's database; run as development, since production refuses to load the demo."""
    subprocess.run([str(VENV_BIN / "flask"), "--app", "courtyard", *args], cwd=ROOT, check=True,
                   env={**os.environ, **environment, "COURTYARD_ENV": "development"}, capture_output=quiet)


def _holds(database_url, scale):
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    probe = "SELECT 1 FROM township WHERE name = '规模镇01'" if scale == "county" else \
        "SELECT 1 FROM \"user\" WHERE login = 'admin'"
    try:
        with engine.connect() as connection:
            return connection.execute(text(probe)).first() is not None
    except Exception:  # no database or no schema yet
        return False
    finally:
        engine.dispose()


def _empty(database_url, environment):
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    else:
        from sqlalchemy import create_engine

        from tests.support.databases import ensure_postgres_database, reset_postgres_schema

        ensure_postgres_database(database_url)
        engine = create_engine(database_url)
        reset_postgres_schema(engine)
        engine.dispose()
    _flask(environment, "db", "upgrade")


REFRESH = """
from sqlalchemy import text
from courtyard import create_app
from courtyard.extensions import db
from courtyard.models.types import utcnow
from courtyard.services.dashboards.dashboard_summary import LAG, refresh_summary
from courtyard.services.dashboards.public_figures import draw_public_figures
with create_app().app_context():
    refresh_summary(utcnow() + LAG)  # nothing else writes here: the summary may take everything
    draw_public_figures(utcnow())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
    db.session.commit()
"""


def prepare(database_url, scale, environment, rebuild=False):
    """The demo (``scale`` small) or the county-sized demo in ``database_url``; seconds spent building (0: reused)."""
    started, built = time.monotonic(), False
    if rebuild or not _holds(database_url, scale):
        _empty(database_url, environment)
        _flask(environment, "courtyard", "demo")
        if scale == "county":
            _flask(environment, "courtyard", "demo", "--scale", "county")
        built = True
    else:
        _flask(environment, "db", "upgrade")
    subprocess.run([str(VENV_BIN / "python"), "-c", REFRESH], cwd=ROOT, check=True, env={**os.environ, **environment})
    return time.monotonic() - started if built else 0.0


def environment_for(database_url, instance):
    return {"COURTYARD_DATABASE_URL": database_url, "COURTYARD_INSTANCE_PATH": str(instance),
            "COURTYARD_ENV": "production",
            "COURTYARD_SECRET_KEY": os.environ.get("COURTYARD_BENCH_SECRET_KEY", "bench-secret-key-" + "x" * 32),
            "COURTYARD_STRIPE_API_BASE": "http://127.0.0.1:9", "COURTYARD_LOGIN_RATE_LIMIT": "100000 per minute",
            # production refuses the dev secrets and local sinks: settings of its own shape, never called here
            "COURTYARD_STRIPE_SECRET_KEY": "sk_test_bench_pages", "COURTYARD_STRIPE_WEBHOOK_SECRET": "whsec_bench_pages",
            "COURTYARD_STRIPE_LOCALSTRIPE": "0", "COURTYARD_SMS_ACCESS_KEY_SECRET": "bench-pages-secret",
            "COURTYARD_SMS_ENDPOINT": "sms.invalid:9"}


# ---------------------------------------------------------------- measuring (in the child process)


def _visitors(scale):
    """{visitor: user id or None}: one user of each role (see the module's docstring)."""
    from sqlalchemy import func, select

    from courtyard.extensions import db
    from courtyard.models import Household, LedgerEntry, User, WorkTeam
    from courtyard.services.identity.accounts import set_household_pin

    county = db.session.scalar(select(User).where(User.login == "admin"))
    if scale == "county":
        team = db.session.scalar(select(User).where(User.login == "team.c001"))
        partner = db.session.scalar(select(User).where(User.login == "unit.c001"))
    else:
        team = db.session.scalar(select(User).where(User.role == "team").order_by(User.id))
        partner = db.session.scalar(select(User).where(User.role == "partner").order_by(User.id))
    village_id = db.session.scalar(select(WorkTeam.village_id).where(WorkTeam.id == team.work_team_id))
    household_id = db.session.scalar(
        select(Household.id).outerjoin(LedgerEntry, LedgerEntry.household_id == Household.id)
        .where(Household.village_id == village_id, Household.active.is_(True), Household.phone.is_not(None))
        .group_by(Household.id).order_by(func.count(LedgerEntry.id).desc(), Household.id).limit(1))
    household = db.session.get(Household, household_id)
    if household.account is None:
        set_household_pin(None, household, "246810")
    db.session.commit()
    return {"anonymous": None, "county": county.id, "team": team.id, "partner": partner.id,
            "household": household.account.id}, village_id, partner.partner_unit_id, household_id


def _first(query):
    from courtyard.extensions import db

    return db.session.scalar(query.limit(1))


def _params(village_id, unit_id, household_id, county_user_id):
    """Real ids for every route parameter, of objects the chosen users may see."""
    from datetime import date

    from sqlalchemy import func, select

    from courtyard.extensions import db
    from courtyard.models import (
        AllocationRun, ApiToken, Campaign, CampaignPackage, CollectionDay, CollectionRecord, Delivery,
        DeliveryComplaint, DeliveryRound, Household, LedgerTransaction, Package, PayoutBatch, Pledge, ProduceItem,
        User, Village, Visit, VisitRegistration, WorkTeam,
    )

    village = db.session.get(Village, village_id)
    campaign_id = _first(select(Pledge.campaign_id).join(Campaign).where(Pledge.unit_id == unit_id)
                         .order_by((Campaign.state == "open").desc(), Campaign.id.desc())) or \
        _first(select(Campaign.id).order_by(Campaign.id.desc()))
    round_id = _first(select(CollectionDay.round_id).where(CollectionDay.village_id == village_id)
                      .order_by(CollectionDay.round_id.desc())) or _first(select(DeliveryRound.id))
    delivery_id = _first(select(Delivery.id).where(Delivery.unit_id == unit_id).order_by(Delivery.id.desc()))
    visit_id = _first(select(Visit.id).where(Visit.village_id == village_id).order_by(Visit.id.desc())) or \
        _first(select(Visit.id))
    in_village = select(Household.id).where(Household.village_id == village_id)
    payout_id = _first(select(LedgerTransaction.id).where(LedgerTransaction.kind == "payout",
                                                          LedgerTransaction.household_id.in_(in_village)))
    token_id = _first(select(ApiToken.id).where(ApiToken.user_id == county_user_id))
    today = date.today()
    return {
        "campaign_id": campaign_id, "round_id": round_id, "delivery_id": delivery_id, "visit_id": visit_id,
        "pledge_id": _first(select(Pledge.id).where(Pledge.unit_id == unit_id, Pledge.campaign_id == campaign_id)
                            .order_by(Pledge.id.desc())),
        "household_id": household_id, "supplier_id": household_id,
        "offer_id": _first(select(DeliveryRound.offer_id).where(DeliveryRound.id == round_id)) or
        _first(select(CampaignPackage.id).where(CampaignPackage.campaign_id == campaign_id)),
        "run_id": _first(select(AllocationRun.id).where(AllocationRun.village_id == village_id)
                         .order_by(AllocationRun.id.desc())),
        "complaint_id": _first(select(DeliveryComplaint.id).order_by(DeliveryComplaint.id.desc())),
        "registration_id": _first(select(VisitRegistration.id).where(VisitRegistration.visit_id == visit_id)),
        "payout_id": payout_id,
        "batch_id": _first(select(PayoutBatch.id).where(PayoutBatch.village_id == village_id)),
        "record_id": _first(select(CollectionRecord.id).where(CollectionRecord.household_id == household_id)
                            .order_by(CollectionRecord.id.desc())),
        "team_id": _first(select(WorkTeam.id).where(WorkTeam.village_id == village_id)), "unit_id": unit_id,
        "user_id": _first(select(User.id).where(User.role == "team").order_by(User.id)),
        "item_id": _first(select(ProduceItem.id).order_by(ProduceItem.id)),
        "package_id": _first(select(Package.id).order_by(Package.id)),
        "township_id": village.township_id, "village_id": village_id, "token_id": token_id,
        "name": "missing-photo.jpg", "code": "en", "filename": "css/app.css", "active": 1, "token": "none",
        "fmt": "pdf", "attendance": "attended", "table": "campaigns", "ext": "xlsx", "kind": "a4",
        "year": today.year, "month": f"{today.month:02d}",
        "households": db.session.scalar(select(func.count(Household.id))),
    }


def _tokens(visitors):
    from courtyard.extensions import db
    from courtyard.models import User
    from courtyard.models.types import utcnow
    from courtyard.services.identity.api_tokens import create_token

    tokens = {name: create_token(db.session.get(User, user_id), "bench pages", utcnow())[1]
              for name, user_id in visitors.items() if user_id is not None}
    db.session.commit()
    return tokens


def _timed(client, url, headers):
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    response.get_data()
    return response.status_code, (time.perf_counter() - started) * 1000, response.mimetype


def measure(scale, runs):
    """[{endpoint, visitor, url, status, times}] for every GET route in this process's database."""
    from courtyard import create_app
    from courtyard.extensions import db

    app = create_app({"SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
    with app.app_context():
        visitors, village_id, unit_id, household_id = _visitors(scale)
        tokens = _tokens(visitors)
        params = _params(village_id, unit_id, household_id, visitors["county"])
        db.session.remove()
    rows = []
    routes = sorted({(rule.endpoint, rule.rule) for rule in app.url_map.iter_rules() if "GET" in rule.methods})
    for endpoint, rule in routes:
        if endpoint in NOT_PAGES:
            continue
        url = re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: str(params.get(m.group(1)) or m.group(0)), rule)
        if "<" in url:
            rows.append({"endpoint": endpoint, "visitor": "—", "url": rule, "status": "no such object", "times": []})
            continue
        answered, public = [], False
        for visitor in VISITORS:
            if public and visitor != "county":
                continue
            status, times, mimetype = _measure_one(app, visitors, tokens, visitor, endpoint, url, runs)
            answered.append((visitor, status, times))
            if status == 200:
                rows.append({"endpoint": endpoint, "visitor": visitor, "url": url, "status": 200, "times": times,
                             "file": mimetype not in PAGE_TYPES})
                print(f"{scale:6} {endpoint:40} {visitor:9} {statistics.median(times):8.1f} ms", file=sys.stderr)
                public = public or visitor == "anonymous"
        if not any(status == 200 for _v, status, _t in answered):
            statuses = sorted({str(status) for _v, status, _t in answered if status not in (401, 403)})
            rows.append({"endpoint": endpoint, "visitor": "—", "url": url, "status": ", ".join(statuses) or "403",
                         "times": []})
    return rows, params["households"]


def _measure_one(app, visitors, tokens, visitor, endpoint, url, runs):
    headers = {}
    if endpoint.startswith("api."):
        if visitor == "anonymous":
            return 401, [], None
        headers["Authorization"] = f"Bearer {tokens[visitor]}"

    def client():
        fresh = app.test_client()
        if visitor != "anonymous" and not endpoint.startswith("api."):
            with fresh.session_transaction() as session:
                session["_user_id"] = str(visitors[visitor])
                session["_fresh"] = True
        return fresh

    the_client = client()
    status, first, mimetype = _timed(the_client, url, headers)
    if status != 200:
        return status, [], mimetype
    if first >= SLOW_MS and mimetype not in PAGE_TYPES:  # a big file: its first time tells enough
        return 200, [first], mimetype
    repeats = runs if first < SLOW_MS else 2  # a page far over its goal: twice more, warm
    times = [_timed(client() if visitor == "anonymous" else the_client, url, headers)[1] for _ in range(repeats)]
    return 200, times, mimetype


# ---------------------------------------------------------------- the report


def p95(times):
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def verdict(row, small):
    median, worst = statistics.median(row["times"]), p95(row["times"])
    if row.get("file"):
        return median, worst, (median / small if small else None), None
    public = row["visitor"] == "anonymous"
    goal = PUBLIC_GOAL_MS if public else PAGE_GOAL_MS
    missed = []
    if median > goal:
        missed.append(f"median > {goal} ms")
    if not public and worst > PAGE_CEILING_MS:
        missed.append(f"p95 > {PAGE_CEILING_MS} ms")
    ratio = median / small if small else None
    if ratio is not None and ratio > RATIO_GOAL and median > 5:  # a few ms either way is noise, not growth
        missed.append(f"{ratio:.1f}× the small demo")
    return median, worst, ratio, missed


def render(kind, county_rows, small_rows, households, runs, note, built):
    small = {(r["endpoint"], r["visitor"]): statistics.median(r["times"]) for r in small_rows if r["times"]}
    measured = [r for r in county_rows if r["times"]]
    unmeasured = [r for r in county_rows if not r["times"]]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    lines = [
        f"## Every page at county size, {title}", "",
        f"`python bench/pages.py --only {kind}` on {stamp}: {len(measured)} page and visitor pairs, each requested "
        f"once to warm up and then {runs} times, one at a time, through the Flask test client with the production "
        f"settings (page caches on), against the county-sized demo ({households:,} households). Goals (#25): logged-in "
        f"pages ≤ {PAGE_GOAL_MS} ms median and p95 ≤ {PAGE_CEILING_MS} ms, public pages (anonymous) ≤ {PUBLIC_GOAL_MS} ms "
        f"median, and within {RATIO_GOAL:.0f}× the small demo's median. p95 is the nearest rank of {runs} runs (close to "
        f"the slowest). {note}" + (f" Building the data took {built:.0f} s in this run." if built else ""), "",
        "| page | visitor | path | median | p95 | small demo | ratio | goals | what costs |",
        "|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    rows = []
    for row in measured:
        median, worst, ratio, missed = verdict(row, small.get((row["endpoint"], row["visitor"])))
        rows.append((median, row, worst, ratio, missed))
    for median, row, worst, ratio, missed in sorted(rows, key=lambda r: -r[0]):
        small_ms = small.get((row["endpoint"], row["visitor"]))
        cost = COSTS.get(row["endpoint"], "") if missed or missed is None else ""
        goals = "a file" if missed is None else "meets" if not missed else "**misses**: " + "; ".join(missed)
        lines.append(f"| `{row['endpoint']}` | {row['visitor']} | `{row['url']}` | {median:.1f} ms | {worst:.1f} ms | "
                     f"{'—' if small_ms is None else f'{small_ms:.1f} ms'} | "
                     f"{'—' if ratio is None else f'{ratio:.1f}×'} | "
                     f"{goals} | {cost} |")
    pages = [missed for *_rest, missed in rows if missed is not None]
    lines += ["", f"{sum(1 for missed in pages if not missed)} of {len(pages)} pages meet every goal; "
              f"{len(rows) - len(pages)} files (PDF, CSV, XLSX, calendar) are listed for their time but are not pages: "
              "`bench/exports.py` holds the big ones to their own goals."]
    if unmeasured:
        lines += ["", "Not measured (no user of the demo got a 200, or the county-sized demo has no such object): " +
                  ", ".join(f"`{r['endpoint']}` ({r['status']})" for r in unmeasured) + "."]
    lines += ["", "Not pages: " + ", ".join(f"`{e}` ({why})" for e, why in NOT_PAGES.items()) + "."]
    return "\n".join(lines)


# ---------------------------------------------------------------- the parent


def run_child(database_url, scale, runs, instance):
    environment = environment_for(database_url, instance)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = Path(out.name)
    subprocess.run([sys.executable, __file__, "--measure", scale, "--runs", str(runs), "--out", str(path)],
                   cwd=ROOT, check=True, env={**os.environ, **environment})
    result = json.loads(path.read_text())
    path.unlink()
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--only", choices=sorted(DATABASES))
    parser.add_argument("--rebuild", action="store_true", help="build both demos afresh")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--measure", choices=("small", "county"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:  # the child: the database comes from the environment
        rows, households = measure(args.measure, args.runs)
        Path(args.out).write_text(json.dumps({"rows": rows, "households": households}))
        return 0
    instance = Path(tempfile.mkdtemp(prefix="courtyard-pages-bench-"))
    for kind in [args.only] if args.only else list(DATABASES):
        small_url, county_url = DATABASES[kind]
        note = machine_note()
        built = prepare(small_url, "small", environment_for(small_url, instance), args.rebuild)
        built += prepare(county_url, "county", environment_for(county_url, instance), args.rebuild)
        small = run_child(small_url, "small", args.runs, instance)
        county = run_child(county_url, "county", args.runs, instance)
        body = render(kind, county["rows"], small["rows"], county["households"], args.runs, note, built)
        print(body)
        if not args.no_write:
            write_section(ROOT / "docs" / "benchmarks.md", f"pages-{kind}", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
