"""Writing many rows at once for the county-sized demo: ids handed out here, Core inserts in batches.

No ORM objects: :class:`NextIds` gives each table a run of primary keys above its current largest, so
rows can refer to each other before they are written, and :func:`bulk` inserts plain dicts.
"""

from sqlalchemy import func, insert, select, text

from courtyard.extensions import db

BATCH = 5_000


class NextIds:
    """Hands out primary keys above each table's current largest, so rows can be inserted in bulk."""

    def __init__(self):
        self.next, self.used = {}, set()

    def take(self, model, count):
        table = model.__table__
        if table.name not in self.next:
            self.next[table.name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        first = self.next[table.name]
        self.next[table.name] += count
        self.used.add(table.name)
        return range(first, first + count)

    def advance_sequences(self):
        """On PostgreSQL, move each used table's id sequence past the ids written here."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for name in sorted(self.used):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                    f"(SELECT MAX(id) FROM \"{name}\"))"))


    def analyze(self):
        """On PostgreSQL, refresh the planner's statistics of the tables written (after a commit)."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for name in sorted(self.used):
            db.session.execute(text(f'ANALYZE "{name}"'))
        db.session.commit()


def bulk(model_or_table, rows):
    """Insert ``rows`` (dicts) into the model's table, :data:`BATCH` at a time."""
    table = getattr(model_or_table, "__table__", model_or_table)
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def entry(entry_id, transaction_id, account, amount_fen, *, household_id=None, unit_id=None, campaign_id=None):
    """A ledger entry row with every column present, so rows of different accounts insert together."""
    return {"id": entry_id, "transaction_id": transaction_id, "account": account, "amount_fen": amount_fen,
            "household_id": household_id, "unit_id": unit_id, "campaign_id": campaign_id}
