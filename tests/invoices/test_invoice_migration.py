"""The migration from the pledge's "invoice issued" flag to invoice documents keeps what the flag said: an asked-for
invoice stays asked for, an issued one stays issued (with no number or file, as it was then), and going back down
puts the flag back."""

from datetime import datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from courtyard import create_app
from courtyard.config import TestConfig
from courtyard.extensions import db

BEFORE = "0020_staff_offers"
AFTER = "0021_money_documents"
WHEN = datetime(2026, 11, 20, 3, 0)


def _filled(table, **values):
    """``values`` plus a plain value for every other NOT NULL column without a default."""
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable:
            continue
        if column.server_default is not None:
            continue
        kind = column.type.python_type
        row[column.name] = {int: 0, str: "", bool: False, datetime: WHEN}.get(kind, WHEN)
    return row


def test_flag_data_becomes_invoices_and_back(tmp_path):
    """Do a requested and an issued flag become a requested and an issued invoice, and does downgrade restore them?"""
    config = type("MigrationConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}",
                                                     "UPLOAD_DIR": str(tmp_path / "uploads")})
    app = create_app(config)
    with app.app_context():
        upgrade(revision=BEFORE)
        meta = sa.MetaData()
        meta.reflect(db.engine)
        unit, campaign, pledge = meta.tables["partner_unit"], meta.tables["campaign"], meta.tables["pledge"]
        with db.engine.begin() as connection:
            connection.execute(unit.insert().values(_filled(unit, id=1, name="县财政局", kind="government")))
            connection.execute(campaign.insert().values(_filled(campaign, id=1, title="囤年货", mode="flexible",
                                                                state="open", opens_at=WHEN, goal_value=10, goal_kind="packages",
                                                                closes_at=datetime(2026, 12, 20))))
            for n, issued in ((1, None), (2, WHEN), (3, None)):
                connection.execute(pledge.insert().values(_filled(
                    pledge, id=n, campaign_id=1, unit_id=1, method="transfer", state="paid", total_fen=33600,
                    refunded_fen=1000 * (n == 2), reference=f"CYAAAAAA{n}", invoice_title="县财政局" if n < 3 else "",
                    invoice_tax_number="11230000MB1234567X" if n < 3 else "",
                    invoice_requested_at=WHEN if n < 3 else None, invoice_issued_at=issued)))
        upgrade(revision=AFTER)
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT pledge_id, state, title, tax_number, amount_fen, number, file_name FROM invoice ORDER BY pledge_id")).all()
            columns = {c["name"] for c in sa.inspect(connection).get_columns("pledge")}
        assert [tuple(r) for r in rows] == [(1, "requested", "县财政局", "11230000MB1234567X", 33600, "", ""),
                                            (2, "issued", "县财政局", "11230000MB1234567X", 32600, "", "")]
        assert not {"invoice_title", "invoice_issued_at"} & columns
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            back = connection.execute(sa.text(
                "SELECT id, invoice_title, invoice_issued_at IS NOT NULL FROM pledge ORDER BY id")).all()
        assert [tuple(r) for r in back] == [(1, "县财政局", 0), (2, "县财政局", 1), (3, "", 0)]
        db.engine.dispose()
