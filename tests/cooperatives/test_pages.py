"""The cooperative's, county's, household's and public pages for cooperatives, contracts and integrity."""

from datetime import timedelta
from io import BytesIO

from sqlalchemy import select, text

from courtyard.extensions import db
from courtyard.models import (
    AllocationLine, AllocationRun, Box, BoxRating, CampaignPackage, Cooperative, Delivery, DeliveryRound,
    PurchaseContract, User,
)
from courtyard.services.allocation import allocation_runs
from courtyard.services.cooperatives import declarations
from courtyard.services.deliveries import deliveries, delivery_rounds, packing
from courtyard.services.supply import collection
from tests.support.ladder import Ladder
from tests.support.campaigns import NOW, make_campaign
from tests.support.cooperatives import active_contract, make_cooperative, paid_campaign
from tests.support.factories import login, pin_login


def _collected(app, make, fee_kind="percent", fee_value=100, floor=1400):
    """A round of a cooperative's three members under its contract: allocated, collected, packed."""
    r = Ladder(app, make).planned()
    r.coop = make_cooperative(app, make, [], 0, fee_kind=fee_kind, fee_value=fee_value, existing=(r.village, r.households))
    r.contract_id = active_contract(app, NOW, item_id=r.item_id, floor_price_fen=floor, cooperative_id=r.coop.id)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        db.session.commit()
        r.now = round_.cutoff_at + timedelta(days=2)
        for line in db.session.scalars(select(AllocationLine).join(AllocationRun).where(
                AllocationRun.round_id == round_.id, AllocationLine.units > 0)):
            collection.record_collection(None, round_, line.household_id, r.item_id, line.units, 0, "", r.now)
        collection.finish_collection(None, round_, r.village.id, r.now)
        packing.pack_round(None, round_, r.now)
        db.session.commit()
        r.delivery_id = db.session.scalar(select(Delivery.id))
    return r


def test_a_cooperative_user_prints_its_members_statements_with_the_fee_line(app, client, make):
    """Does the cooperative's user see its members, and each member's statement with a 合作社服务费 line,
    while a household of another cooperative is not found?"""
    r = _collected(app, make)
    other = make_cooperative(app, make, [make.village()], 1, name="别处合作社", with_user=False)
    login(client, r.coop.user)
    home = client.get("/coop/").get_data(as_text=True)
    assert all(h.name in home for h in r.households)
    page = client.get(f"/coop/members/{r.households[0].id}/statement").get_data(as_text=True)
    assert "合作社服务费" in page
    assert client.get(f"/coop/members/{other.members[0][0]}/statement").status_code == 404
    pdf = client.get("/coop/statements.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_cooperative_declares_through_its_page_and_sees_each_members_part(app, client, make):
    """Does the declaration form split the units among the members, and a bad number come back at the field?"""
    villages = [make.village(), make.village()]
    coop = make_cooperative(app, make, villages, 2)
    campaign = make_campaign(app, cap=100)
    with app.app_context():
        item_id = db.session.get(CampaignPackage, campaign.offer_ids[0]).package.lines[0].item_id
    login(client, coop.user)
    bad = client.post("/coop/declare", data={"campaign": campaign.id, "item": item_id, "units": "0", "contract": 0})
    assert bad.status_code == 422 and "field-error" in bad.get_data(as_text=True)
    response = client.post("/coop/declare", data={"campaign": campaign.id, "item": item_id, "units": "9", "contract": 0})
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        from courtyard.services.cooperatives.declarations import members_parts
        parts = members_parts(coop.id, campaign.id)
        assert sorted(parts.values()) == [2, 2, 2, 3] and {h for h, _i in parts} == {m[0] for m in coop.members}


def test_the_county_registers_a_cooperative_and_its_bank_account_is_stored_encrypted(app, client, make):
    """Is a cooperative registered through the form, its account number shown masked and not stored in clear?"""
    village = make.village()
    login(client, make.admin())
    response = client.post("/county/cooperatives/new", data={
        "name": "绿野家庭农场", "kind": "family_farm", "township_id": village.township_id, "legal_person": "赵大",
        "licence_number": "92230225MA1X", "contact_phone": "13911112222", "bank_account": "6228480099998888",
        "fee_kind": "per_unit", "fee_value": "20"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "**** 8888" in page and "6228480099998888" not in page
    with app.app_context():
        stored = db.session.execute(text("SELECT bank_account FROM cooperative")).scalar()
        assert "6228480099998888" not in stored
    again = client.post("/county/cooperatives/new", data={
        "name": "绿野家庭农场", "kind": "family_farm", "township_id": village.township_id, "legal_person": "赵大",
        "licence_number": "OTHER", "fee_kind": "none", "fee_value": "0"})
    assert again.status_code == 422 and "已有同名的合作社。" in again.get_data(as_text=True)


def test_a_contract_goes_from_draft_to_signed_to_active_to_ended_with_a_reason(app, client, make):
    """Is the contract printed as a PDF, a non-PDF non-picture scan refused at the field, a PDF scan accepted
    (signed), then put in force, and ending it early refused without a reason and done with one?"""
    village = make.village()
    household = make.household(village)
    r_item = Ladder(app, make).planned().item_id
    login(client, make.admin())
    response = client.post("/county/contracts/new", data={
        "seller": "household", "household_phone": household.phone, "buyer": 0, "item": r_item, "season": "2026 冬",
        "min_units": "10", "max_units": "60", "every_days": "14", "units_each_time": "6", "floor_price": "4",
        "starts_on": "2026-11-01", "ends_on": "2027-02-28", "delivery_place": "县一中食堂"})
    assert response.status_code == 302
    detail = response.headers["Location"]
    contract_id = int(detail.rstrip("/").split("/")[-1])
    pdf = client.get(f"/county/contracts/{contract_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    refused = client.post(f"/county/contracts/{contract_id}/scan", data={
        "scan": (BytesIO(b"just some words"), "scan.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 422
    signed = client.post(f"/county/contracts/{contract_id}/scan", data={
        "scan": (BytesIO(b"%PDF-1.4\n%%EOF\n"), "scan.pdf")}, content_type="multipart/form-data")
    assert signed.status_code == 302
    assert client.get(f"/county/contracts/{contract_id}/scan").data.startswith(b"%PDF")
    client.post(f"/county/contracts/{contract_id}/activate")
    assert client.post(f"/county/contracts/{contract_id}/end", data={"end-reason": ""}).status_code == 422
    assert client.post(f"/county/contracts/{contract_id}/end", data={"end-reason": "农户外出务工"}).status_code == 302
    with app.app_context():
        contract = db.session.get(PurchaseContract, contract_id)
        assert (contract.state, contract.end_reason, contract.floor_price_fen) == ("ended", "农户外出务工", 400)


def test_a_household_reads_its_contract_in_plain_words(app, client, make):
    """Does a member household's home page say who takes what, how often, and the floor price a unit?"""
    r = Ladder(app, make).planned()
    make_cooperative(app, make, [], 0, existing=(r.village, r.households))
    with app.app_context():
        coop_id = db.session.scalar(select(Cooperative.id))
    active_contract(app, NOW, item_id=r.item_id, floor_price_fen=400, cooperative_id=coop_id)
    pin_login(client, r.households[0])
    page = client.get("/household/").get_data(as_text=True)
    assert "每两周" in page and "¥4.00" in page and "土豆0 6 袋" in page


def test_a_unit_rates_a_delivered_box_and_the_public_notice_shows_the_cooperative_not_its_households(app, client, make):
    """Can the unit rate a delivered box (1–5 stars), is a 6 refused, and does 信用公示 show the cooperative's
    name and its rating but no household's name?"""
    r = _collected(app, make)
    with app.app_context():
        delivery = db.session.get(Delivery, r.delivery_id)
        deliveries.advance(None, delivery, r.now)
        deliveries.advance(None, delivery, r.now)
        db.session.commit()
        box_id = db.session.scalar(select(Box.id).where(Box.delivery_id == r.delivery_id))
        unit_user = User(role="partner", login="canteen", display_name="食堂", partner_unit_id=r.unit_id)
        unit_user.set_secret("correct-horse-9")
        db.session.add(unit_user)
        db.session.commit()
    client.post("/login", data={"login": "canteen", "password": "correct-horse-9"})
    assert "★★★★★" in client.get(f"/partner/deliveries/{r.delivery_id}").get_data(as_text=True)
    client.post(f"/partner/deliveries/{r.delivery_id}/rate", data={"box": box_id, "stars": "6", "comment": ""})
    client.post(f"/partner/deliveries/{r.delivery_id}/rate", data={"box": box_id, "stars": "4", "comment": "很新鲜"})
    with app.app_context():
        assert [(x.stars, x.comment) for x in db.session.scalars(select(BoxRating))] == [(4, "很新鲜")]
    notice = app.test_client().get("/credit").get_data(as_text=True)
    assert "青山蔬菜专业合作社" in notice and "4.0" in notice
    assert not any(h.name in notice for h in r.households)


def test_the_team_sees_contracted_quantities_first_and_statements_cite_the_contract(app, client, make):
    """Does the team's allocation page list the lines declared under a contract in their own table first, and
    a member's statement name the contract that set the price of its goods?"""
    village = make.village()
    coop = make_cooperative(app, make, [village], 3, name="河口蔬菜合作社")
    campaign_id, item_id, _pledges = paid_campaign(app, (3,))
    contract_id = active_contract(app, NOW, item_id=item_id, floor_price_fen=1800, cooperative_id=coop.id)
    with app.app_context():
        declarations.declare(None, db.session.get(Cooperative, coop.id), campaign_id, item_id, 9, NOW,
                             contract_id=contract_id)
        db.session.commit()
        run_id = allocation_runs.create_run(None, campaign_id, village.id, NOW).id
        db.session.commit()
        number = db.session.get(PurchaseContract, contract_id).number
    login(client, make.team_member(village))
    page = client.get(f"/team/allocation/runs/{run_id}").get_data(as_text=True)
    assert page.index("contracted-lines") < page.index("allocation-table") and number in page
    r = _collected(app, make, floor=1400)
    with app.app_context():
        number = db.session.get(PurchaseContract, r.contract_id).number
    member = app.test_client()
    login(member, r.coop.user)
    assert number in member.get(f"/coop/members/{r.households[0].id}/statement").get_data(as_text=True)
