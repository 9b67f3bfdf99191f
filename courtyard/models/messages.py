"""Messages to people: one notice per person and event (their inbox), and its deliveries by channel.

A ``Notice`` is what one person is told (kind, title, the Chinese text) and is their inbox entry;
it names what caused it (``subject_type``/``subject_id``: an allocation run, a round, a payout
batch …) so the page of that thing can show what was sent. Each ``NoticeDelivery`` carries the
notice by one channel (``sms`` or ``mail``) to one address, with its own state; mail rides on the
existing mail outbox (``outbox_message_id``). ``NoticePreference`` is a person's choice of
channels for one kind (a household's is set by its work team).
"""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

CHANNELS = ("sms", "mail")
# queued → sending → sent → delivered | failed; waiting: a limit (ours or the provider's) holds it back;
# unsure: the provider did not answer, so it is looked up (QuerySendDetails) before it is sent again
DELIVERY_STATES = ("queued", "sending", "waiting", "unsure", "sent", "delivered", "failed")


class Notice(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    partner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)  # the team that may see numbers
    subject_type: Mapped[str] = mapped_column(String(30), default="")
    subject_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    money: Mapped[bool] = mapped_column(Boolean, default=False)
    in_inbox: Mapped[bool] = mapped_column(Boolean, default=True)  # off: the person chose no inbox for this kind
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deliveries: Mapped[list["NoticeDelivery"]] = relationship(back_populates="notice", order_by="NoticeDelivery.id")
    household: Mapped["Household | None"] = relationship()

    __table_args__ = (db.Index("ix_notice_subject", "subject_type", "subject_id"),)


class NoticeDelivery(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(255))  # a mobile number or an e-mail address
    state: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    template_code: Mapped[str] = mapped_column(String(40), default="")
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_code: Mapped[str] = mapped_column(String(60), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")
    biz_id: Mapped[str] = mapped_column(String(64), default="")
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notice: Mapped[Notice] = relationship(back_populates="deliveries")

    __table_args__ = (
        db.CheckConstraint("channel in ('sms', 'mail')", name="channel_known"),
        db.CheckConstraint("state in ('queued', 'sending', 'waiting', 'unsure', 'sent', 'delivered', 'failed')",
                           name="state_known"),
    )


class NoticePreference(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    kind: Mapped[str] = mapped_column(String(40))
    inbox: Mapped[bool] = mapped_column(Boolean, default=True)  # money kinds reach the inbox whatever this says
    sms: Mapped[bool] = mapped_column(Boolean, default=True)
    mail: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        db.UniqueConstraint("user_id", "kind", name="uq_notice_preference_user_kind"),
        db.UniqueConstraint("household_id", "kind", name="uq_notice_preference_household_kind"),
    )
