"""Mail header injection through campaign titles and names: a line break cannot add a header, and
the message is still sent."""

from datetime import datetime, timezone

from flask_babel import force_locale, gettext

from courtyard.devservices.smtp_sink import read_messages, running_smtp_sink
from courtyard.extensions import db
from courtyard.messages.outbox import queue, send_pending

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
TITLE = "鸭蛋认购\r\nBcc: thief@example.com\r\nX-Injected: yes"


def test_a_campaign_title_with_line_breaks_adds_no_header_and_is_sent(app, tmp_path, monkeypatch):
    """Is a notice whose subject quotes a title carrying CRLF + Bcc sent once, to its one recipient,
    with the title on one subject line and no Bcc or injected header?"""
    with running_smtp_sink(tmp_path / "mail") as (host, port):
        monkeypatch.setitem(app.config, "SMTP_HOST", host)
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
        with app.test_request_context(), force_locale("zh_Hans"):
            subject = gettext('Campaign "%(campaign)s" reached its goal', campaign=TITLE)
            queue("unit@example.com", subject, "正文", now=NOW)
            db.session.commit()
        with app.app_context():  # the send-mail job's context: no request
            assert send_pending(app.config, NOW) == (1, 0)
    [received] = read_messages(tmp_path / "mail")
    assert received["Bcc"] is None and received["X-Injected"] is None
    assert received.get_all("To") == ["unit@example.com"]
    assert "Bcc: thief@example.com" in received["Subject"] and "\n" not in received["Subject"]
