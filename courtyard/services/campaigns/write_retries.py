"""Writes that race for the same stock: retried while SQLite is busy, a lost race told as "sold out".

On SQLite a concurrent writer may make a transaction fail to start writing ("database is locked");
the work is rolled back and tried again. A check constraint (``sold <= cap``) or a unique key hit by
a concurrent writer is also tried again, and after the last try told as ``sold_out``.
"""

import time

from sqlalchemy.exc import IntegrityError, OperationalError

from courtyard.errors import DomainError
from courtyard.extensions import db

WRITE_RETRIES = 8


def with_write_retries(work, sold_out, field="lines"):
    """Run ``work()`` (which commits), retrying as above; ``sold_out`` is the message of the last lost race."""
    for attempt in range(WRITE_RETRIES):
        try:
            return work()
        except OperationalError as error:
            db.session.rollback()
            if "locked" not in str(error) and "busy" not in str(error).lower() or attempt == WRITE_RETRIES - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
        except IntegrityError as error:
            db.session.rollback()
            if attempt == WRITE_RETRIES - 1:
                raise DomainError(sold_out, field) from error
        except DomainError:
            db.session.rollback()
            raise
