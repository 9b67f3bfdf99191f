"""Circuit breakers for outside services, one row each (``stripe``): shared by every worker of every host.

See :mod:`courtyard.payments.breaker` for what the columns mean and how they change.
"""

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime


class ServiceBreaker(db.Model):
    __tablename__ = "service_breaker"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in a row, since the last success
    opened_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # open (calls refused) until then
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
