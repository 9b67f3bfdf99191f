"""The county sees what closing a campaign will do, and closes an open campaign now in one confirmed step."""

from courtyard.extensions import db
from courtyard.models import Campaign, OutboxMessage, Pledge
from courtyard.models.types import utcnow
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import make_buyer, make_campaign
from tests.support.factories import login


def _short_campaign(app):
    """An all-or-nothing campaign open now (goal 10 packages): one unit paid for 3, another awaits its transfer of 2."""
    now = utcnow()
    campaign = make_campaign(app, goal_value=10, around=now)
    paid_unit, waiting_unit = make_buyer(app, email="a@example.cn"), make_buyer(app, email="b@example.cn")
    with app.app_context():
        paid = pledges.create_pledge(None, paid_unit.id, campaign.id,
                                     [LineInput(campaign.offer_ids[0], paid_unit.address_ids[0], 3)], "transfer", now)
        pledges.record_transfer(None, paid, paid.total_fen, "B1", now, now)
        waiting = pledges.create_pledge(None, waiting_unit.id, campaign.id,
                                        [LineInput(campaign.offer_ids[0], waiting_unit.address_ids[0], 2)], "transfer", now)
        return campaign.id, paid.id, waiting.id


def _preview(page):
    return page.split('class="close-preview"')[1].split("</ul>")[0]


def test_the_campaign_page_says_what_the_close_will_do(app, client, make):
    """Before closing, does the county's campaign page say it will fail, refund one pledge, stop waiting for one
    transfer and write to both units?"""
    campaign_id, _, _ = _short_campaign(app)
    login(client, make.admin())
    preview = _preview(client.get(f"/county/campaigns/{campaign_id}").get_data(as_text=True))
    assert 'data-outcome="failed"' in preview
    assert "全额退款的已付认购：1" in preview and "不再等待银行转账的认购：1" in preview
    assert "将收到结果通知的单位：2" in preview and "解除的银行卡预授权，不扣款：0" in preview


def test_close_now_asks_first_then_closes_and_settles(app, client, make):
    """Does "close now" show a confirmation of what will happen, and only the confirmed POST close the campaign,
    refund the paid pledge, end the awaited transfer and tell both units?"""
    campaign_id, paid_id, waiting_id = _short_campaign(app)
    login(client, make.admin())
    assert "/close-early" in client.get(f"/county/campaigns/{campaign_id}").get_data(as_text=True)
    confirmation = client.get(f"/county/campaigns/{campaign_id}/close-early").get_data(as_text=True)
    assert "确认现在结束" in confirmation and "全额退款的已付认购：1" in confirmation
    with app.app_context():
        assert db.session.get(Campaign, campaign_id).state == "open"
    response = client.post(f"/county/campaigns/{campaign_id}/close-early")
    assert response.status_code == 302
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign.state == "failed" and campaign.closes_at <= utcnow()
        paid, waiting = db.session.get(Pledge, paid_id), db.session.get(Pledge, waiting_id)
        assert paid.refunded_fen == paid.total_fen and waiting.state == "cancelled"
        assert sorted({m.to_address for m in db.session.query(OutboxMessage)}) == ["a@example.cn", "b@example.cn"]
    assert "/close-early" not in client.get(f"/county/campaigns/{campaign_id}").get_data(as_text=True)
