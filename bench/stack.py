"""The real stack for the load and fault benchmarks: a fresh PostgreSQL database, localstripe and gunicorn.

Used by ``bench/concurrency.py`` (and the other benchmarks that need the whole app served): the
app runs exactly as in production (gunicorn workers, CSRF on, PostgreSQL), configured through the
same ``COURTYARD_*`` variables.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/courtyard_bench"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def machine_note():
    """How busy the machine was as a benchmark began: its figures are only as good as that."""
    one, five, _fifteen = os.getloadavg()
    return (f"Load average when the run began: {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs; "
            "the load generator, PostgreSQL and the app share them.")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(database_url, stripe_url, instance):
    """What the app reads: the database, the payment server, no login limit for the simulated crowd."""
    return {
        "COURTYARD_DATABASE_URL": database_url, "COURTYARD_STRIPE_API_BASE": stripe_url,
        "COURTYARD_INSTANCE_PATH": str(instance), "COURTYARD_LOGIN_RATE_LIMIT": "100000 per minute",
        "COURTYARD_SECRET_KEY": "bench-secret-key-" + "x" * 32,
    }


def fresh_database(database_url, environment):
    """An empty PostgreSQL database with the schema from the migrations."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine

    from tests.support.databases import ensure_postgres_database, reset_postgres_schema

    ensure_postgres_database(database_url)
    engine = create_engine(database_url)
    reset_postgres_schema(engine)
    engine.dispose()
    subprocess.run([str(VENV_BIN / "flask"), "--app", "courtyard", "db", "upgrade"], cwd=ROOT, check=True,
                   env={**os.environ, **environment}, capture_output=True)


@contextlib.contextmanager
def gunicorn(environment, workers=4, worker_class="sync", threads=1, app="wsgi:app", timeout=None, log_path=None):
    """Serve ``app`` (the product's ``wsgi:app`` unless told) with gunicorn; yield (base URL, process).

    ``timeout`` is gunicorn's worker timeout (its default 30 s unless told); with ``log_path`` gunicorn's
    own log (worker timeouts among it) goes to that file."""
    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--worker-class", worker_class,
               "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app]
    if timeout is not None:
        command[-1:-1] = ["--timeout", str(timeout)]
    if log_path is not None:
        command[-1:-1] = ["--error-logfile", str(log_path)]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environment})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz", process)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for(url, process, timeout=120):  # a loaded shared machine can take a minute to import the app
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def csrf_token(html):
    match = CSRF.search(html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def log_in(session, base, login, password):
    page = session.get(f"{base}/login", timeout=30)
    answer = session.post(f"{base}/login", data={"csrf_token": csrf_token(page.text), "login": login,
                                                 "password": password}, allow_redirects=False, timeout=30)
    if answer.status_code != 302:
        raise RuntimeError(f"login of {login} failed with {answer.status_code}")


def write_section(path, name, body):
    """Replace the section between ``<!-- name:start -->`` and ``<!-- name:end -->`` (or append it)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.rstrip()}\n\n{end}"
    if start in text and end in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
