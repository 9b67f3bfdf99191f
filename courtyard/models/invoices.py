"""发票 as documents: a unit asks for an invoice for a paid pledge; the county's finance staff issue it in the
tax system and upload the e-invoice (PDF or OFD) with its number; a refund after issuing may need it
reversed (红冲) with the red-letter invoice's number, after which a new one may be asked for.

One invoice of a pledge is not reversed at a time (a partial unique index).
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

INVOICE_STATES = ("requested", "issued", "reversed")
INVOICE_TRANSITIONS = {"requested": ("issued",), "issued": ("reversed",), "reversed": ()}
INVOICE_FILE_KINDS = ("pdf", "ofd")


class Invoice(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))  # 发票抬头
    tax_number: Mapped[str] = mapped_column(String(30))  # 纳税人识别号
    amount_fen: Mapped[int] = mapped_column(Integer)  # asked for: what was paid and not refunded; then as issued
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), default="")  # 发票号码
    issued_on: Mapped[date | None] = mapped_column(Date)  # 开票日期
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(64), default="")  # stored name under INVOICE_DIR
    file_kind: Mapped[str] = mapped_column(String(4), default="")  # pdf or ofd
    red_number: Mapped[str] = mapped_column(String(40), default="")  # 红字发票号码
    reversal_reason: Mapped[str] = mapped_column(String(255), default="")
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    pledge: Mapped["Pledge"] = relationship(back_populates="invoices")
    unit: Mapped["PartnerUnit"] = relationship()

    __table_args__ = (
        db.CheckConstraint("amount_fen > 0", name="amount_positive"),
        db.Index("ix_invoice_state_requested_at", "state", "requested_at"),  # the county's waiting list
        db.Index("uq_invoice_pledge_current", "pledge_id", unique=True, sqlite_where=text("state != 'reversed'"),
                 postgresql_where=text("state != 'reversed'")),
    )
