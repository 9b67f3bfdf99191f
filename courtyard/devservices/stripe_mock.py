"""Run localstripe, a fake Stripe API, for development and tests.

    python -m courtyard.devservices.stripe_mock --host 127.0.0.1 --port 8420 --state-dir instance

localstripe keeps its objects in a pickle at the hard-coded ``/tmp/localstripe.pickle``; this
runner rebinds the store's load and dump methods to ``<state-dir>/localstripe.pickle`` (written
atomically) before serving, so each checkout or test run keeps its own state.

Webhook endpoints registered with ``POST /_config/webhooks/{id}`` live only in the server's memory:
register again after every start (``--webhook-url`` and ``--webhook-secret`` do it at start-up).
"""

import argparse
import contextlib
import logging
import os
import pickle
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8420
DEFAULT_STATE_DIR = "instance"
STATE_FILE = "localstripe.pickle"
LOG_FILE = "stripe_mock.log"
READY_MESSAGE = "stripe mock listening on "
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def keep_state_in(path):
    """Make localstripe load and save its store at ``path`` instead of /tmp."""
    from localstripe.resources import Store

    path = Path(path)

    def try_load_from_disk(store):
        try:
            with path.open("rb") as f:
                saved = pickle.load(f)
        except FileNotFoundError:
            return
        store.clear()
        store.update(saved)

    def dump_to_disk(store):
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as f:
            pickle.dump(store, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)

    Store.try_load_from_disk = try_load_from_disk
    Store.dump_to_disk = dump_to_disk


def serve(host=DEFAULT_HOST, port=DEFAULT_PORT, state_dir=DEFAULT_STATE_DIR, *,
          from_scratch=False, webhook_url=None, webhook_secret=None):
    """Serve localstripe until interrupted; ``port=0`` picks a free port (printed on stdout)."""
    from aiohttp import web
    from localstripe.resources import store
    from localstripe.server import app
    from localstripe.webhooks import register_webhook

    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    keep_state_in(state_dir / STATE_FILE)
    if not from_scratch:
        store.try_load_from_disk()
    if webhook_url:
        register_webhook("courtyard", webhook_url, webhook_secret, None)

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family)
    bound_port = sock.getsockname()[1]
    access_log = logging.getLogger("aiohttp.access")
    print(f"{READY_MESSAGE}{_url(host, bound_port)}", flush=True)
    web.run_app(app, sock=sock, access_log=access_log, print=None)


@contextlib.contextmanager
def running_stripe_mock(state_dir, *, host=DEFAULT_HOST, timeout=15.0):
    """Start localstripe in a subprocess on a free port; yield its base URL; stop it after.

    Its log goes to ``<state_dir>/stripe_mock.log``; state persists in ``state_dir`` so a second
    start with the same directory sees the objects of the first.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / LOG_FILE
    env = dict(os.environ, PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "courtyard.devservices.stripe_mock", "--host", host,
               "--port", "0", "--state-dir", str(state_dir)]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=env)
    try:
        base_url = _wait_until_ready(process, log_path, timeout)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def register_webhook(base_url, url, secret, *, webhook_id="courtyard", events=None, timeout=5):
    """Ask localstripe to POST events to ``url``, signed with ``secret`` (``events``: a filter)."""
    data = [("url", url), ("secret", secret)]
    data += [("events[]", event) for event in events or ()]
    response = requests.post(f"{base_url}/_config/webhooks/{webhook_id}", data=data,
                             timeout=timeout)
    response.raise_for_status()


def clear_stripe_mock(base_url, *, timeout=5):
    """Delete every object localstripe holds."""
    requests.delete(f"{base_url}/_config/data", timeout=timeout).raise_for_status()


def _wait_until_ready(process, log_path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = log_path.read_text(errors="replace")
        if READY_MESSAGE in output:
            base_url = output.split(READY_MESSAGE, 1)[1].split()[0]
            if _answers(base_url):
                return base_url
        elif process.poll() is not None:
            raise RuntimeError(f"localstripe exited with {process.returncode}:\n{output}")
        time.sleep(0.05)
    raise RuntimeError(f"localstripe did not answer within {timeout} s; see {log_path}")


def _answers(base_url):
    try:
        requests.get(f"{base_url}/js.stripe.com/v3/", timeout=1)
    except requests.RequestException:
        return False
    return True


def _url(host, port):
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run localstripe, a fake Stripe API.")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--state-dir", default=DEFAULT_STATE_DIR)
    parser.add_argument("--from-scratch", action="store_true", help="ignore the saved state")
    parser.add_argument("--webhook-url", help="register this webhook endpoint at start")
    parser.add_argument("--webhook-secret", default="whsec_courtyard_dev")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    serve(args.host, args.port, args.state_dir, from_scratch=args.from_scratch,
          webhook_url=args.webhook_url, webhook_secret=args.webhook_secret)


if __name__ == "__main__":
    main()
