"""A village's statements in one go: the same figures as one household at a time, a number of queries that
does not grow with the households, and a PDF whose tables keep every line, long ones broken over two."""

import io
from dataclasses import replace
from datetime import date, datetime, timedelta

from pypdf import PdfReader
from sqlalchemy import event, select

from courtyard.exports.statement import render_statements_pdf
from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE, period_of
from courtyard.models import Household
from courtyard.services.money import payouts
from courtyard.services.money.statements import statement_data, statements_for
from tests.ledger.support import accept, paid_campaign

DECEMBER = period_of("month", date(2026, 12, 1))
EARLY_DECEMBER = datetime(2026, 12, 3, 10, 0, tzinfo=LOCAL_ZONE)


def village_of(app, make, households):
    """``households`` households, each with goods accepted in November and twice in December, and one paid."""
    campaign_id, item_id, _ = paid_campaign(app)
    village = make.village()
    ids = [make.household(village, name=f"户主{n:02d}").id for n in range(households)]
    for n, household_id in enumerate(ids):
        accept(app, household_id, campaign_id, item_id, 1 + n % 3, at=EARLY_DECEMBER - timedelta(days=20))
        accept(app, household_id, campaign_id, item_id, 2, at=EARLY_DECEMBER)
        accept(app, household_id, campaign_id, item_id, 1, at=EARLY_DECEMBER + timedelta(days=1))
    with app.app_context():
        payouts.record_payout(None, db.session.get(Household, ids[0]), 1000, "cash", "现金-1",
                              EARLY_DECEMBER + timedelta(days=2))
        db.session.commit()
    return ids


def queries_for(app, ids):
    with app.app_context():
        households = db.session.scalars(select(Household).where(Household.id.in_(ids)).order_by(Household.id)).all()
        for household in households:
            household.village.township  # noqa: B018 - loaded beforehand, as the route does
        count = []
        listener = lambda *_args: count.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            statements = statements_for(households, DECEMBER)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(count), statements


def test_many_statements_take_as_many_queries_as_one_village_of_two(app, make):
    """Two households or twenty: the same number of queries, and each statement equals the one-household
    statement (December: ¥45 earned each, the first paid ¥10, November's earnings as the opening balance)."""
    ids = village_of(app, make, 20)
    few, _ = queries_for(app, ids[:2])
    many, statements = queries_for(app, ids)
    assert few == many
    assert [s.household_id for s in statements] == ids
    assert {s.earned_fen for s in statements} == {4500}
    assert [s.paid_fen for s in statements[:2]] == [1000, 0]
    assert [s.opening_fen for s in statements[:3]] == [1500, 3000, 4500]
    with app.app_context():
        assert statement_data(db.session.get(Household, ids[5]), DECEMBER) == statements[5]


def test_the_village_pdf_keeps_every_line_and_breaks_long_ones(app, make):
    """Twenty statements, each starting on its own page with its household's name; a payout reference too long
    for its column is broken over two lines, not cut."""
    ids = village_of(app, make, 20)
    _, statements = queries_for(app, ids)
    first = statements[0]
    long_payout = replace(first.lines[-1], reference="现金-" + "九" * 30)
    statements[0] = replace(first, lines=first.lines[:-1] + (long_payout,))
    reader = PdfReader(io.BytesIO(render_statements_pdf(statements, "示范县", EARLY_DECEMBER)))
    assert len(reader.pages) == 20
    texts = [page.extract_text() for page in reader.pages]
    assert all(f"户主{n:02d}" in text for n, text in enumerate(texts))
    assert "¥10.00" in texts[0] and texts[0].count("九") == 30
    assert all(line.count("九") < 30 for line in texts[0].split("\n"))  # it did not fit on one line
