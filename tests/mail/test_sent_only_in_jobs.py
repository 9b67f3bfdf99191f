"""Mail is sent by the send-mail job only: sending from a web request is refused before any connection."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.messages.job_only import SentFromRequest
from courtyard.messages.outbox import queue, send_pending
from courtyard.models import OutboxMessage
from tests.support.hung_servers import SilentServer

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)


def test_sending_mail_inside_a_web_request_is_refused_and_the_message_waits(app):
    """If code serving a page tried to send the outbox, would it be stopped before contacting the mail server
    (which may hang), leaving the message for the job?"""
    silent = SilentServer()
    config = dict(app.config, SMTP_HOST="127.0.0.1", SMTP_PORT=int(silent.url.rsplit(":", 1)[1]))
    try:
        with app.app_context():
            queue("office@example.cn", "认购已确认", "正文", now=NOW)
            db.session.commit()
        with app.test_request_context("/partner/pledges"):
            with pytest.raises(SentFromRequest):
                send_pending(config, NOW)
    finally:
        silent.close()

    assert silent.accepted == 0
    with app.app_context():
        assert [(m.sent_at, m.attempts) for m in db.session.scalars(select(OutboxMessage))] == [(None, 0)]
