"""A household's "what you are to supply" list: grouped by date, upcoming first, past rounds folded away,
every quantity written with its container and pack size."""

import re

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import AllocationLine, AllocationRun, DeliveryRound, ProduceItem
from courtyard.services.deliveries import delivery_rounds
from courtyard.services.supply import collection
from tests.deliveries.rounds import planned_round
from tests.support.factories import pin_login


def _home(client, household):
    pin_login(client, household)
    page = client.get("/household/").get_data(as_text=True)
    client.post("/logout")
    return page


def test_upcoming_supplies_are_dated_and_finished_ones_fold_under_already_supplied(app, make, client):
    """After allocation the household sees its units under the collection date, with the pack size said once;
    once the collection is finished the same lines move under "已交"."""
    r = planned_round(app, make)
    household = r.households[0]
    with app.app_context():
        db.session.get(ProduceItem, r.item_id).unit = "500 g 袋"
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        units = db.session.scalar(select(AllocationLine.units).join(AllocationRun).where(
            AllocationRun.round_id == round_.id, AllocationLine.household_id == household.id))
        day = collection.collection_day(round_.id, r.village.id)
        on = day.starts_at.astimezone(LOCAL_ZONE).date().isoformat()
    assert units
    page = _home(client, household)
    upcoming = page[page.index("您家要交的"):]
    assert re.search(rf'<h3 class="supply-date">{on}', upcoming)
    assert f"{units} 袋 (每袋 500 g)" in upcoming and "已交" not in upcoming.split("</section>")[0]
    with app.app_context():
        collection.finish_collection(None, db.session.get(DeliveryRound, r.round_ids[0]), r.village.id, day.starts_at)
    page = _home(client, household)
    section = page[page.index("您家要交的"):].split("</section>")[0]
    folded = section[section.index("<details"):]
    assert "已交" in folded and f"{units} 袋 (每袋 500 g)" in folded
