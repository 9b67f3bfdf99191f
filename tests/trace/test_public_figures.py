"""The county landing page's figures: open campaigns, money raised, households reached, average income increase."""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.text.formatting import fen
from courtyard.models import CollectionRecord, LedgerEntry, LedgerTransaction, Pledge, Visit, VisitHost
from courtyard.models.types import utcnow
from courtyard.demo.visits import build_demo_visits
from courtyard.services.dashboards.public_figures import public_figures
from tests.support.demo import load_demo


def test_figures_add_up_paid_pledges_collected_goods_and_host_fees(app, client):
    """Is money raised the paid pledges less refunds, and the income what households were paid for accepted goods
    plus host fees of done visits, less a cooperative's service fee, averaged over the households that earned anything?"""
    load_demo(app)
    with app.app_context():
        build_demo_visits(utcnow())
        visit = db.session.scalar(select(Visit).join(VisitHost).where(VisitHost.fee_fen > 0))
        if visit is not None:
            visit.state = "done"
            db.session.commit()
        now = utcnow()
        income = {}
        for record in db.session.scalars(select(CollectionRecord)):
            income[record.household_id] = income.get(record.household_id, 0) + record.units_accepted * record.unit_price_fen
        for host in db.session.scalars(select(VisitHost).join(Visit).where(Visit.state == "done")):
            if host.fee_fen:
                income[host.household_id] = income.get(host.household_id, 0) + host.fee_fen
        for entry in db.session.scalars(select(LedgerEntry).join(LedgerTransaction).where(
                LedgerTransaction.kind == "cooperative_fee", LedgerEntry.account == "household_payable")):
            income[entry.household_id] -= entry.amount_fen  # the demo cooperative's fee on its members' goods
        raised = sum(p.total_fen - p.refunded_fen for p in db.session.scalars(select(Pledge).where(Pledge.state == "paid")))
        figures = public_figures(now)
        db.session.remove()
    assert figures.raised_fen == raised > 0
    assert figures.households_reached == len(income) > 0
    assert figures.income_fen == sum(income.values())
    assert figures.average_increase_fen == sum(income.values()) // len(income)
    assert figures.open_campaigns == 2
    home = client.get("/").get_data(as_text=True)
    assert fen(figures.raised_fen) in home and fen(figures.average_increase_fen) in home


def test_an_empty_county_shows_zeros_not_an_error(app, client):
    """With nothing sold yet, does the landing page show zero figures rather than divide by zero?"""
    figures = None
    with app.app_context():
        figures = public_figures(utcnow())
        db.session.remove()
    assert (figures.raised_fen, figures.households_reached, figures.average_increase_fen) == (0, 0, 0)
    assert client.get("/").status_code == 200
