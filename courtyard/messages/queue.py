"""Queue a message: one notice per person (their inbox) and a delivery per channel they want.

``tell`` only adds rows to the caller's session, so the message is committed (or rolled back)
with the change it reports; the ``send-messages`` job sends the SMS later
(:mod:`courtyard.messages.sending`) and mail goes through the mail outbox
(:mod:`courtyard.messages.outbox`, the ``send-mail`` job). The same notice is never queued twice:
its key is the kind, what caused it and the person.
"""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.messages import preferences
from courtyard.messages import outbox
from courtyard.messages.sms_templates import TEMPLATES, check_params, render
from courtyard.models import Notice, NoticeDelivery
from courtyard.models.types import utcnow


def notice_key(kind, subject_type, subject_id, recipient, extra=""):
    return f"{kind}:{subject_type}:{subject_id}:{recipient.key}{':' + extra if extra else ''}"[:160]


def tell(kind, recipient, params, *, subject=("", None), now=None, extra_key="", mail_message=None):
    """Queue the ``kind`` message to ``recipient`` with ``params`` (the template's variables).

    ``subject`` is ``(type, id)`` of what caused it; ``mail_message`` an outbox mail already queued
    for this event (a unit's pledge notice), which then stands for the mail channel, or False when
    the caller sends the mail itself. Returns the
    new notice, or None when this notice was queued before.
    """
    now = now or utcnow()
    template = TEMPLATES[kind]
    clean = check_params(kind, params)
    key = notice_key(kind, subject[0], subject[1], recipient, extra_key)
    if db.session.scalar(select(Notice.id).where(Notice.dedupe_key == key)):
        return None
    wanted = preferences.channels_for(recipient, kind)
    notice = Notice(kind=kind, user_id=recipient.user_id, household_id=recipient.household_id,
                    partner_unit_id=recipient.partner_unit_id, village_id=recipient.village_id,
                    subject_type=subject[0], subject_id=subject[1], title=template.title, body=render(kind, clean),
                    money=template.money, in_inbox=wanted["inbox"], dedupe_key=key, created_at=now)
    db.session.add(notice)
    db.session.flush()
    if wanted["sms"] and recipient.phone:
        from flask import current_app

        db.session.add(NoticeDelivery(notice_id=notice.id, channel="sms", address=recipient.phone, state="queued",
                                      template_code=current_app.config[template.config_key], params=clean,
                                      next_attempt_at=now, created_at=now))
    if mail_message is None and wanted["mail"] and recipient.email:
        mail_message = outbox.queue(recipient.email, template.title, notice.body + "\n", f"notice:{notice.id}:mail",
                                    now=now)
    if mail_message:
        db.session.add(NoticeDelivery(notice_id=notice.id, channel="mail", address=mail_message.to_address,
                                      state="sent" if mail_message.sent_at else "queued",
                                      outbox_message_id=mail_message.id, next_attempt_at=now, created_at=now))
    db.session.flush()
    return notice


def tell_all(kind, recipients, params, **kw):
    """``tell`` each recipient the same ``params``; the notices queued now."""
    return [n for n in (tell(kind, r, params, **kw) for r in recipients) if n is not None]
