"""Bank statements the county uploads: the column layouts it has named, each upload, and each credit line
matched (or not yet) to a pledge waiting for its transfer.

A line is kept once however often it is uploaded: its ``fingerprint`` (booking date, amount, payer account,
memo, bank serial and its place among identical lines of the file) is unique.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

LINE_STATES = (
    "matched",  # its memo names a waiting pledge and the amount is exact: confirm it
    "amount_differs",  # its memo names a waiting pledge but the amount is not the pledge's
    "unknown_reference",  # no pledge reference in the memo, or one that is not waiting for a transfer
    "duplicate",  # the pledge it names is paid already or claimed by another line
    "confirmed",  # recorded as the pledge's transfer
    "set_aside",  # dealt with outside the platform (returned to the payer, …), with a note
)
OPEN_LINE_STATES = ("matched", "amount_differs", "unknown_reference", "duplicate")


class StatementPreset(db.Model):
    """A column layout the county named for its bank's export (the shipped ones live in code)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    date_column: Mapped[str] = mapped_column(String(60))
    amount_column: Mapped[str] = mapped_column(String(60))
    payer_name_column: Mapped[str] = mapped_column(String(60), default="")
    payer_account_column: Mapped[str] = mapped_column(String(60), default="")
    memo_columns: Mapped[str] = mapped_column(String(200))  # header names joined by "|", read together
    serial_column: Mapped[str] = mapped_column(String(60), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatementImport(db.Model):
    """One upload of a statement file: the lines it added (lines seen before stay with their first upload)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    preset_name: Mapped[str] = mapped_column(String(60))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    credit_count: Mapped[int] = mapped_column(Integer, default=0)  # credits in the file
    new_count: Mapped[int] = mapped_column(Integer, default=0)  # of which first seen in this upload
    uploaded_by: Mapped["User | None"] = relationship()


class StatementLine(db.Model):
    """A credit on the county's account, as the bank wrote it, and what became of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("statement_import.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)  # in the file first uploaded
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    booked_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)
    payer_name: Mapped[str] = mapped_column(String(120), default="")
    payer_account: Mapped[str] = mapped_column(String(60), default="")
    memo: Mapped[str] = mapped_column(Text, default="")
    bank_serial: Mapped[str] = mapped_column(String(80), default="")
    state: Mapped[str] = mapped_column(String(20))
    pledge_id: Mapped[int | None] = mapped_column(ForeignKey("pledge.id"), index=True)  # named or chosen
    note: Mapped[str] = mapped_column(String(255), default="")
    bank_transfer_id: Mapped[int | None] = mapped_column(ForeignKey("bank_transfer.id"), unique=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    statement: Mapped[StatementImport] = relationship()
    pledge: Mapped["Pledge | None"] = relationship()

    __table_args__ = (
        db.CheckConstraint("amount_fen > 0", name="credit_positive"),
        db.Index("ix_statement_line_import_id_state", "import_id", "state"),
    )
