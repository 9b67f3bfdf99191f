"""A unit's pledge notice: its mail (the mail outbox, as before), a text to its contact mobile, and its inbox —
one record whose mail channel follows the mail outbox."""

from courtyard.devservices.sms_sink import read_texts
from courtyard.devservices.smtp_sink import read_messages, running_smtp_sink
from courtyard.extensions import db
from courtyard.messages import sending
from courtyard.messages import outbox
from courtyard.models import Notice, OutboxMessage, PartnerUnit
from courtyard.models.types import utcnow
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import NOW, make_buyer, make_campaign


def test_a_pledge_awaiting_transfer_is_mailed_texted_and_in_the_inbox_once(app, make, sms_sink, tmp_path):
    """Does a transfer pledge queue one mail (as before), one text to the contact mobile and one inbox message,
    and does the mail's delivery read "sent" once the mail outbox has sent it?"""
    campaign, unit = make_campaign(app, cap=100), make_buyer(app, email="canteen@example.cn")
    with app.app_context():
        db.session.get(PartnerUnit, unit.id).contact_phone = "139 0452 0001"
        db.session.commit()
        pledges.create_pledge(None, unit.id, campaign.id, [LineInput(campaign.offer_ids[0], unit.address_ids[0], 2)],
                              "transfer", NOW)
        [notice] = db.session.query(Notice).filter_by(partner_unit_id=unit.id).all()
        assert notice.kind == "pledge_action" and "请按认购号转账" in notice.body
        assert sorted(d.channel for d in notice.deliveries) == ["mail", "sms"]
        assert db.session.query(OutboxMessage).count() == 1  # the pledge mail, not a second one
    with running_smtp_sink(tmp_path / "mail") as (host, port):
        app.config.update(SMTP_HOST=host, SMTP_PORT=port)
        try:
            with app.app_context():
                outbox.send_pending(app.config, utcnow())
                sending.send_pending(app.config, utcnow())
        finally:
            app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=8025)
    assert len(read_messages(tmp_path / "mail")) == 1
    assert [t["PhoneNumbers"] for t in read_texts(sms_sink.sink.dir)] == ["13904520001"]
    with app.app_context():
        states = {d.channel: d.state for d in db.session.query(Notice).one().deliveries}
        assert states == {"mail": "sent", "sms": "sent"}
