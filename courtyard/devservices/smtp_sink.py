"""A local SMTP server that keeps every message as an ``.eml`` file instead of delivering it.

    python -m courtyard.devservices.smtp_sink --port 8025 --dir instance/mail

Each message is written as received, with ``X-MailFrom`` and ``X-RcptTo`` headers added on top so
that Bcc recipients show; one line per message (recipients and decoded subject) goes to the log.
"""

import argparse
import contextlib
import email
import email.policy
import itertools
import logging
import threading
import time
from email.header import decode_header, make_header
from pathlib import Path

from aiosmtpd.controller import Controller

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8025
DEFAULT_MAIL_DIR = "instance/mail"


class MailDirHandler:
    """aiosmtpd handler: store each message as ``<mail_dir>/<time>-<n>.eml``."""

    def __init__(self, mail_dir):
        self.mail_dir = Path(mail_dir)
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        envelope_headers = (f"X-MailFrom: {envelope.mail_from}\r\n"
                            f"X-RcptTo: {', '.join(envelope.rcpt_tos)}\r\n").encode("utf-8")
        with self._lock:
            name = f"{time.time_ns()}-{next(self._counter):04d}.eml"
        (self.mail_dir / name).write_bytes(envelope_headers + content)
        log.info("mail to %s: %s", ", ".join(envelope.rcpt_tos), subject_of(content))
        return "250 Message accepted for delivery"


class _SinkController(Controller):
    """A Controller that can bind port 0 and then knows the port it got."""

    def _create_server(self):
        return self._bind()

    async def _bind(self):
        server = await super()._create_server()
        self.port = server.sockets[0].getsockname()[1]
        return server


def start_smtp_sink(mail_dir=DEFAULT_MAIL_DIR, *, host=DEFAULT_HOST, port=DEFAULT_PORT):
    """Start the sink in a background thread; return the controller (``.port``, ``.stop()``)."""
    controller = _SinkController(MailDirHandler(mail_dir), hostname=host, port=port,
                                 enable_SMTPUTF8=True)
    controller.start()
    return controller


@contextlib.contextmanager
def running_smtp_sink(mail_dir, *, host=DEFAULT_HOST):
    """Run the sink on a free port while the block runs; yield ``(host, port)``."""
    controller = start_smtp_sink(mail_dir, host=host, port=0)
    try:
        yield controller.hostname, controller.port
    finally:
        controller.stop()


def read_messages(mail_dir):
    """The stored messages, oldest first, as ``email.message.EmailMessage`` objects."""
    paths = sorted(Path(mail_dir).glob("*.eml"))
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in paths]


def subject_of(raw_message):
    """The message's Subject with RFC 2047 encoded words decoded (``=?utf-8?b?…?=``)."""
    headers = email.message_from_bytes(raw_message, policy=email.policy.compat32)
    subject = headers.get("Subject")
    if subject is None:
        return ""
    try:
        return str(make_header(decode_header(subject)))
    except (LookupError, ValueError):
        return str(subject)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Keep outgoing mail as .eml files.")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--dir", default=DEFAULT_MAIL_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command chatter
    controller = start_smtp_sink(args.dir, host=args.host, port=args.port)
    log.info("smtp sink listening on %s:%s, keeping mail in %s", controller.hostname,
             controller.port, args.dir)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
