"""Money received for pledges: card payments through Stripe, bank transfers, refunds, webhook events."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

CARD_PAYMENT_STATES = ("creating", "requires_confirmation", "authorized", "captured", "released", "declined", "unknown",
                       "saved", "charging", "requires_action")


class CardPayment(db.Model):
    """One Stripe PaymentIntent per pledge: never two (localstripe ignores Idempotency-Key)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id"), unique=True)
    intent_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(String(30), default="creating", index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    captured_fen: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    saved_card_id: Mapped[int | None] = mapped_column(ForeignKey("saved_card.id"), index=True)  # charged at close
    action_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # needs action: released after
    attempt: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # the intent's number (idempotency)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    pledge: Mapped["Pledge"] = relationship()


class BankTransfer(db.Model):
    """A transfer (对公转账) the county admin recorded against a pledge's reference."""

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id"), unique=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    bank_reference: Mapped[str] = mapped_column(String(60))
    received_on: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Refund(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    stripe_refund_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (db.CheckConstraint("amount_fen > 0", name="amount_positive"),)


class WebhookEvent(db.Model):
    """Each Stripe event id is applied once."""

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
