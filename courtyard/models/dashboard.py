"""The county dashboard's summary of the ledger: households' earnings and units' money per local day.

The ledger is append-only, so the summary is too: each refresh (the ``refresh-dashboard`` job) adds
the sums of the transactions *recorded* since the last one, up to a cut-off a few minutes back, and
moves :class:`DashboardSummaryState`'s ``summarised_before`` to it. The dashboard adds those sums to
a live query of the transactions recorded from that cut-off on, so its figures equal the ledger's at
every moment; the summary only makes them quick.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime


class DashboardEarning(db.Model):
    """Earned by a household (goods accepted, hosting fees, less reversals) on a day (Asia/Shanghai) for a campaign."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    earned_fen: Mapped[int] = mapped_column(Integer)


class DashboardMoney(db.Model):
    """The units' funds moved on a day (Asia/Shanghai) for a campaign, by the transaction's effective kind."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(Integer)


class DashboardSummaryState(db.Model):
    """One row: transactions recorded before ``summarised_before`` are in the summary (None: nothing is yet)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    summarised_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the public home's figures, drawn by the same job (courtyard.services.dashboards.public_figures); None until then
    figures_drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    raised_fen: Mapped[int | None] = mapped_column(BigInteger)
    households_reached: Mapped[int | None] = mapped_column(Integer)
    income_fen: Mapped[int | None] = mapped_column(BigInteger)
