"""The mail outbox: notices are queued in the transaction of the change they report, sent later by SMTP.

``queue`` only adds a row to the caller's session, so the notice is committed (or rolled back)
together with the change; ``send_pending`` is the job that delivers the queue.

Retries: a message that failed ``attempts`` times is due again ``RETRY_BASE * (2**attempts - 1)``
after it was created (1, 3, 7, 15 … minutes with the default base). The schedule is anchored at
``created_at`` because the table keeps no time of the last attempt; after ``max_attempts`` failures
the message is left alone, unsent, with its ``last_error``, for an admin to look at.

Claiming, so that two senders never both deliver one message: each message is sent in its own
transaction that first locks its row and keeps the lock until ``sent_at`` is committed.
PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` (a second sender skips to the next message),
then a conditional ``UPDATE`` re-checks it is still unsent. SQLite has no row locks; that same
conditional ``UPDATE`` takes SQLite's single write lock, so a second sender waits (``busy_timeout``)
and then finds the row sent. On SQLite the write lock is therefore held for one SMTP send (bounded by
``SMTP_TIMEOUT``). Delivery is at least once: if the process dies after the server accepted a
message but before the commit, that message is sent again (with the same ``Message-ID``).
"""

import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import NamedTuple

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from courtyard.extensions import db
from courtyard.messages.job_only import refuse_in_web_request
from courtyard.models import OutboxMessage
from courtyard.models.types import utcnow

RETRY_BASE = timedelta(minutes=1)
DEFAULT_SMTP_TIMEOUT = 10  # seconds, for connecting and for each SMTP command
# failures of one message: the next message may still go through the same connection
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                  smtplib.SMTPNotSupportedError)


class SendResult(NamedTuple):
    sent: int
    failed: int


def one_line(text):
    """A header value: line breaks and other control characters (from a campaign title or a name) become
    spaces, so a title can neither add a header nor make the message unsendable."""
    return " ".join("".join(" " if ord(c) < 32 or c in "\x7f\u2028\u2029\x85" else c for c in text).split())


def queue(to_address, subject, body, dedupe_key=None, *, now=None):
    """Add a message to the current session (the caller commits it); None if ``dedupe_key`` is taken.

    The key is looked up first; a concurrent transaction queueing the same key is caught by the
    unique constraint (``INSERT … ON CONFLICT DO NOTHING``), so it never fails the caller's change.
    """
    to_address = (to_address or "").strip()
    if not to_address:
        raise ValueError("a message needs a recipient")
    session = db.session
    if dedupe_key is not None and session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    values = {"to_address": to_address, "subject": one_line(subject)[:255], "body": body, "dedupe_key": dedupe_key,
              "created_at": now or utcnow(), "attempts": 0, "last_error": ""}
    dialect = session.get_bind().dialect.name
    if dedupe_key is None or dialect not in ("postgresql", "sqlite"):
        message = OutboxMessage(**values)
        session.add(message)
        session.flush()
        return message
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(OutboxMessage)
    new_id = session.scalar(insert.values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
                            .returning(OutboxMessage.id))
    return session.get(OutboxMessage, new_id) if new_id else None


def retry_due_at(message, base=RETRY_BASE):
    """When a message that failed ``message.attempts`` times may be tried again."""
    return message.created_at + base * (2 ** message.attempts - 1)


def _due(now, max_attempts, base):
    """Unsent messages whose next try is due, as SQL with no date arithmetic in the database."""
    return and_(OutboxMessage.sent_at.is_(None), or_(*(
        and_(OutboxMessage.attempts == n, OutboxMessage.created_at <= now - base * (2 ** n - 1))
        for n in range(max_attempts)
    )))


def send_pending(config, now, *, batch=100, max_attempts=8, retry_base=RETRY_BASE):
    """Send up to ``batch`` due messages over one SMTP connection; return ``SendResult(sent, failed)``.

    Stops at the first error that is not about one message (server unreachable, login refused,
    connection dropped); that message counts one failed attempt and the rest wait for the next run.
    Uses its own session, committing after each message.
    """
    refuse_in_web_request("Sending mail")
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    sent = failed = 0
    last_id = 0
    smtp = None
    with Session(db.engine, expire_on_commit=False) as session:
        try:
            while sent + failed < batch:
                message = _claim_next(session, now, max_attempts, retry_base, after_id=last_id)
                if message is None:
                    break
                last_id = message.id
                try:
                    email = build_email(config, message, now)
                    email.as_bytes()  # a header that cannot be written fails here, for this message only
                except (ValueError, TypeError) as exc:
                    _record_failure(session, message, exc)
                    failed += 1
                    continue
                try:
                    smtp = smtp or _connect(config)
                    smtp.send_message(email)
                except MESSAGE_ERRORS as exc:
                    _record_failure(session, message, exc)
                    failed += 1
                    continue
                except (OSError, smtplib.SMTPException) as exc:  # connection-level: stop the run
                    _record_failure(session, message, exc)
                    failed += 1
                    if smtp is not None:
                        smtp.close()
                        smtp = None
                    break
                message.sent_at, message.last_error = now, ""
                session.commit()
                sent += 1
        finally:
            session.rollback()
            if smtp is not None:
                _quit(smtp)
    return SendResult(sent, failed)


def _claim_next(session, now, max_attempts, base, *, after_id):
    """Lock the next due message after ``after_id`` for this transaction, or return None."""
    while True:
        query = (select(OutboxMessage).where(_due(now, max_attempts, base), OutboxMessage.id > after_id)
                 .order_by(OutboxMessage.id).limit(1).with_for_update(skip_locked=True))
        try:
            message = session.scalars(query).first()
            if message is None:
                session.rollback()
                return None
            claimed = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.sent_at.is_(None),
                       OutboxMessage.attempts == message.attempts)
                .values(attempts=OutboxMessage.attempts)  # no change: it takes the lock and re-checks
                .execution_options(synchronize_session=False)
            ).rowcount
        except OperationalError:  # SQLite: another sender kept the write lock past busy_timeout
            session.rollback()
            return None
        if claimed == 1:
            return message
        session.rollback()  # another sender got there first
        after_id = message.id


def _record_failure(session, message, exc):
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    session.commit()


def _connect(config):
    smtp = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]),
                        timeout=config.get("SMTP_TIMEOUT", DEFAULT_SMTP_TIMEOUT))
    try:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
    except BaseException:
        _quit(smtp)
        raise
    return smtp


def _quit(smtp):
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def build_email(config, message, now):
    """The MIME message for an outbox row: UTF-8 body, RFC 2047 subject, a Message-ID stable per row."""
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "courtyard.local"
    email["Message-ID"] = f"<outbox-{message.id}@{domain}>"  # a resend after a crash can be recognised
    email.set_content(message.body, charset="utf-8", cte="base64")
    return email
