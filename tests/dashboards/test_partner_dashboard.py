"""A partner unit's dashboard: what it bought, the households whose goods it received (masked), what they earned."""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import BoxBatch
from courtyard.services.dashboards.dashboard_partner import partner_dashboard
from tests.dashboards.support import DECEMBER
from tests.deliveries.test_packing_and_delivery import packed


def test_the_unit_sees_its_purchases_and_the_households_it_helped(app, make):
    """3 packages of ¥168 bought; the 6 units in its boxes came from named households at ¥15 each, shown
    masked (王**英) with what each earned from the unit; another unit sees none of it."""
    r = packed(app, make)
    other = make.unit()
    with app.app_context():
        units_by_household = {}
        for batch in db.session.scalars(select(BoxBatch)):
            units_by_household[batch.household_id] = units_by_household.get(batch.household_id, 0) + batch.units
        mine = partner_dashboard(r.unit_id, DECEMBER)
        theirs = partner_dashboard(other.id, DECEMBER)
    assert [(p.packages, p.paid_fen) for p in mine.purchases] == [(3, 50400)]
    assert (mine.packages, mine.paid_fen) == (3, 50400)
    assert sorted(h.earned_fen for h in mine.households) == sorted(1500 * u for u in units_by_household.values())
    assert sum(h.units for h in mine.households) == 6
    assert all(h.name == "王**英" and h.village.endswith(r.village.name) for h in mine.households)
    assert mine.earned.reached == len(units_by_household) and mine.earned.earned_fen == 9000
    assert theirs.purchases == () and theirs.households == ()
