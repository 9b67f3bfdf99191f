"""A cooperative runs its own collection day on the team's phone sheet, for its members' lines only."""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, CollectionRecord, DeliveryRound, LedgerTransaction
from courtyard.services.deliveries import delivery_rounds
from tests.support.ladder import Ladder
from tests.support.cooperatives import make_cooperative
from tests.support.factories import login


def test_the_cooperative_records_what_its_members_brought_and_nothing_of_others(app, client, make):
    """Does the cooperative's sheet list only its members, record a member's goods (with the fee posted), and
    refuse a household that is not a member?"""
    r = Ladder(app, make).planned()
    members, outsider = r.households[:2], r.households[2]
    coop = make_cooperative(app, make, [], 0, fee_kind="per_unit", fee_value=10, existing=(r.village, members))
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        db.session.commit()
        lines = {l.household_id: l.units for l in db.session.scalars(select(AllocationLine).join(AllocationRun).where(
            AllocationRun.round_id == round_.id))}
    login(client, coop.user)
    assert f"/coop/collection/{r.round_ids[0]}" in client.get("/coop/collection").get_data(as_text=True)
    sheet = client.get(f"/coop/collection/{r.round_ids[0]}").get_data(as_text=True)
    assert outsider.name not in sheet
    member = next(h for h in members if lines.get(h.id))
    response = client.post(f"/coop/collection/{r.round_ids[0]}/record", data={
        "household": member.id, "item": r.item_id, "accepted": lines[member.id], "rejected": 0, "reason": ""})
    assert response.status_code == 302
    refused = client.post(f"/coop/collection/{r.round_ids[0]}/record", data={
        "household": outsider.id, "item": r.item_id, "accepted": 1, "rejected": 0, "reason": ""})
    assert refused.status_code == 422
    with app.app_context():
        assert [rec.household_id for rec in db.session.scalars(select(CollectionRecord))] == [member.id]
        fee = db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.kind == "cooperative_fee"))
        assert fee.household_id == member.id and fee.amount_fen == 10 * lines[member.id]
