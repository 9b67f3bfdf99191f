"""The ``send-messages`` job: send queued texts through the provider, once each, within its limits.

Each text is claimed before it is sent: a conditional ``UPDATE`` moves it to ``sending`` and is
committed, so a second run (another scheduler, the CLI) never picks it up too. Then:

- the provider's ``OK``: ``sent`` (with its ``BizId``);
- a limit (``isv.BUSINESS_LIMIT_CONTROL`` and the like): ``waiting``, tried again after a back-off
  (1, 2, 4 … minutes, at most an hour); it is never given up for a limit;
- the account refused (``SignatureDoesNotMatch``, an unknown key, no balance): this text ``failed``
  with the provider's code and the run stops, so the others wait unchanged for the settings to be
  fixed (the county's page shows the code; "send again" queues the failed ones);
- any other code (a wrong number …): ``failed`` with the code;
- no answer at all: ``unsure``; before it is sent again the job asks ``QuerySendDetails`` whether
  the provider has it (matched by ``OutId``, the delivery's id), so a text is not sent twice.

Our own per-number limits (``SMS_LIMITS``, e.g. ``1/minute,5/hour,10/day``) hold a text back as
``waiting`` until the window frees, so the provider's limits are met by queueing, not by errors.
A ``sending`` text older than ``STALE_CLAIM`` (its sender died) becomes ``unsure``.

Mail rides on the mail outbox; this job copies its outcome (sent, or failed after its retries)
onto the mail deliveries, and asks the provider for the receipts of recently sent texts.
"""

import re
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.messages import sms_provider
from courtyard.models import NoticeDelivery, OutboxMessage

STALE_CLAIM = timedelta(minutes=10)
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8  # failures other than limits; then the text is failed
RECEIPT_WINDOW = timedelta(days=3)  # the provider keeps details for a few days
SENDABLE = ("queued", "waiting", "unsure")
PERIODS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
MAIL_GIVE_UP = 8  # the mail outbox's default max_attempts


class SendResult(NamedTuple):
    sent: int
    waiting: int
    failed: int

    def __str__(self):
        return f"sent {self.sent}, waiting {self.waiting}, failed {self.failed}"


def parse_limits(text):
    """``"1/minute,5/hour"`` → ``[(1, timedelta(minutes=1)), (5, timedelta(hours=1))]``."""
    limits = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        match = re.fullmatch(r"(\d+)\s*/\s*(minute|hour|day)", part)
        if not match:
            raise ValueError(f"SMS_LIMITS: {part!r} is not like 5/hour")
        limits.append((int(match.group(1)), PERIODS[match.group(2)]))
    return limits


def backoff(attempts):
    return min(RETRY_CAP, RETRY_BASE * (2 ** max(attempts - 1, 0)))


def send_pending(config, now, *, batch=200):
    """Send up to ``batch`` due texts; return :class:`SendResult`. Uses its own session."""
    limits = parse_limits(config.get("SMS_LIMITS", ""))
    sent = waiting = failed = 0
    with Session(db.engine, expire_on_commit=False) as session:
        _sync_mail(session)
        _stale_to_unsure(session, now)
        done = set()
        while sent + waiting + failed < batch:
            delivery = session.scalars(select(NoticeDelivery).where(
                NoticeDelivery.channel == "sms", NoticeDelivery.state.in_(SENDABLE),
                NoticeDelivery.next_attempt_at <= now, NoticeDelivery.id.notin_(done) if done else true())
                .order_by(NoticeDelivery.next_attempt_at, NoticeDelivery.id).limit(1)).first()
            if delivery is None:
                break
            done.add(delivery.id)
            free_at = _limit_frees_at(session, delivery.address, limits, now)
            if free_at is not None:
                delivery.state, delivery.next_attempt_at = "waiting", free_at
                delivery.error_code, delivery.error_message = "limit", "per-number limit"
                session.commit()
                waiting += 1
                continue
            if delivery.state == "unsure":
                found = _look_up(session, config, delivery, now)
                if found is not None:
                    sent += found == "sent"
                    waiting += found == "unsure"
                    continue
            if not _claim(session, delivery, now):
                continue
            outcome = _send(config, delivery)
            state = _record(session, delivery, outcome, now)
            sent += state == "sent"
            waiting += state in ("waiting", "unsure")
            failed += state == "failed"
            if outcome is not None and outcome.code in sms_provider.ACCOUNT_CODES:
                break
        _receipts(session, config, now)
    return SendResult(sent, waiting, failed)


def _sync_mail(session):
    """Mail deliveries take the outcome of their outbox message."""
    sent = select(OutboxMessage.id).where(OutboxMessage.sent_at.is_not(None))
    session.execute(update(NoticeDelivery).where(
        NoticeDelivery.channel == "mail", NoticeDelivery.state == "queued", NoticeDelivery.outbox_message_id.in_(sent))
        .values(state="sent", sent_at=select(OutboxMessage.sent_at).where(
            OutboxMessage.id == NoticeDelivery.outbox_message_id).scalar_subquery())
        .execution_options(synchronize_session=False))
    given_up = select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= MAIL_GIVE_UP)
    session.execute(update(NoticeDelivery).where(
        NoticeDelivery.channel == "mail", NoticeDelivery.state == "queued",
        NoticeDelivery.outbox_message_id.in_(given_up))
        .values(state="failed", error_code="mail")
        .execution_options(synchronize_session=False))
    session.commit()


def _stale_to_unsure(session, now):
    session.execute(update(NoticeDelivery).where(
        NoticeDelivery.channel == "sms", NoticeDelivery.state == "sending", NoticeDelivery.claimed_at < now - STALE_CLAIM)
        .values(state="unsure", next_attempt_at=now).execution_options(synchronize_session=False))
    session.commit()


def _limit_frees_at(session, address, limits, now):
    """When the number may get its next text, if one of the limits holds it back now; else None."""
    frees_at = None
    for count, period in limits:
        recent = session.scalars(select(NoticeDelivery.sent_at).where(
            NoticeDelivery.channel == "sms", NoticeDelivery.address == address,
            NoticeDelivery.sent_at > now - period).order_by(NoticeDelivery.sent_at.desc()).limit(count)).all()
        if len(recent) >= count:
            candidate = recent[-1] + period
            frees_at = candidate if frees_at is None else max(frees_at, candidate)
    return frees_at


def _look_up(session, config, delivery, now):
    """Ask the provider about an unsure text: "sent" if it has it (same OutId), "unsure" if it does
    not answer (not to be sent before it does), None if it does not have it (send it)."""
    day = (delivery.claimed_at or now).astimezone(LOCAL_ZONE).strftime("%Y%m%d")
    try:
        details = sms_provider.query(config, delivery.address, day)
    except sms_provider.NoAnswer as exc:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.error_message = f"no answer to QuerySendDetails: {exc}"[:2000]
        session.commit()
        return "unsure"
    if any(d.out_id == str(delivery.id) for d in details):
        delivery.state, delivery.sent_at, delivery.error_code, delivery.error_message = "sent", now, "", ""
        session.commit()
        return "sent"
    return None


def _claim(session, delivery, now):
    claimed = session.execute(update(NoticeDelivery).where(
        NoticeDelivery.id == delivery.id, NoticeDelivery.state == delivery.state,
        NoticeDelivery.attempts == delivery.attempts)
        .values(state="sending", claimed_at=now).execution_options(synchronize_session=False)).rowcount
    session.commit()
    if claimed != 1:
        return False
    session.refresh(delivery)
    return True


def _send(config, delivery):
    try:
        return sms_provider.send(config, delivery.address, delivery.template_code, delivery.params, out_id=delivery.id)
    except sms_provider.NoAnswer as exc:
        delivery.error_message = str(exc)[:2000]
        return None


def _record(session, delivery, outcome, now):
    """Store the outcome of one send; return the delivery's new state."""
    delivery.attempts += 1
    if outcome is None:
        delivery.state, delivery.error_code = "unsure", "no answer"
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.state = "failed"
    elif outcome.ok:
        delivery.state, delivery.sent_at, delivery.biz_id = "sent", now, outcome.biz_id
        delivery.error_code = delivery.error_message = ""
    elif outcome.code in sms_provider.LIMIT_CODES:
        delivery.state, delivery.next_attempt_at = "waiting", now + backoff(delivery.attempts)
        delivery.error_code, delivery.error_message = outcome.code, outcome.message[:2000]
    else:
        delivery.state, delivery.error_code, delivery.error_message = "failed", outcome.code[:60], outcome.message[:2000]
    session.commit()
    return delivery.state


def _receipts(session, config, now, *, batch=50):
    """Ask the provider what became of texts sent in the last days and not yet delivered or failed."""
    pending = session.scalars(select(NoticeDelivery).where(
        NoticeDelivery.channel == "sms", NoticeDelivery.state == "sent", NoticeDelivery.biz_id != "",
        NoticeDelivery.sent_at > now - RECEIPT_WINDOW, NoticeDelivery.sent_at < now)
        .order_by(NoticeDelivery.sent_at).limit(batch)).all()
    for delivery in pending:
        day = delivery.sent_at.astimezone(LOCAL_ZONE).strftime("%Y%m%d")
        try:
            details = sms_provider.query(config, delivery.address, day, biz_id=delivery.biz_id)
        except sms_provider.NoAnswer:
            break
        for detail in details:
            if detail.status == "delivered":
                delivery.state, delivery.delivered_at = "delivered", now
            elif detail.status == "failed":
                delivery.state, delivery.error_code = "failed", detail.error_code[:60]
    session.commit()


def resend_failed(deliveries_query, now):
    """Queue again the failed texts among ``deliveries_query`` (a select of ids); the number queued."""
    return db.session.execute(update(NoticeDelivery).where(
        NoticeDelivery.id.in_(deliveries_query), NoticeDelivery.channel == "sms", NoticeDelivery.state == "failed")
        .values(state="queued", attempts=0, next_attempt_at=now, error_code="", error_message="")
        .execution_options(synchronize_session=False)).rowcount

