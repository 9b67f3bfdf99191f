"""The send-messages job against the sink: limits make texts wait (never lost, never doubled), a wrong
secret is refused with a clear error for the county, an unanswered text is looked up before it is sent again."""

from datetime import timedelta

from courtyard.devservices.sms_sink import read_texts
from courtyard.extensions import db
from courtyard.messages import recipients, sending
from courtyard.messages.queue import tell
from courtyard.models import Household, NoticeDelivery
from courtyard.models.types import utcnow


def _queue_pin_notice(app, household_id, now):
    with app.app_context():
        household = db.session.get(Household, household_id)
        notice = tell("pin_reset", recipients.household(household), {"name": household.head_name},
                      subject=("household", household.id), now=now, extra_key=now.isoformat())
        db.session.commit()
        return notice.deliveries[0].id


def _state(app, delivery_id):
    with app.app_context():
        return db.session.get(NoticeDelivery, delivery_id).state


def test_a_rate_limit_answer_makes_the_text_wait_and_go_later(app, client, make, sms_sink, login_as):
    """isv.BUSINESS_LIMIT_CONTROL: is the text "waiting" (the page says so), sent on a later run, and kept once?"""
    now = utcnow()
    village = make.village()
    household = make.household(village)
    delivery_id = _queue_pin_notice(app, household.id, now)
    sms_sink.sink.fail_next("isv.BUSINESS_LIMIT_CONTROL")
    with app.app_context():
        result = sending.send_pending(app.config, now)
    assert (result.sent, result.waiting) == (0, 1) and _state(app, delivery_id) == "waiting"
    assert read_texts(sms_sink.sink.dir) == []

    login_as("county")
    page = client.get("/messages/record").get_data(as_text=True)
    assert '<tr data-channel="sms">' in page and '<td data-state="waiting">1</td>' in page

    with app.app_context():
        too_soon = sending.send_pending(app.config, now + timedelta(seconds=10))
        later = sending.send_pending(app.config, now + timedelta(minutes=2))
        again = sending.send_pending(app.config, now + timedelta(minutes=10))
    assert (too_soon.sent, later.sent, again.sent) == (0, 1, 0)
    assert _state(app, delivery_id) in ("sent", "delivered")
    assert [t["PhoneNumbers"] for t in read_texts(sms_sink.sink.dir)] == [household.phone]


def test_our_own_per_number_limit_queues_instead_of_erroring(app, make, sms_sink):
    """Three texts to one number with a limit of one a minute: does one go now and the others wait their turn?"""
    app.config["SMS_LIMITS"] = "1/minute"
    now = utcnow()
    household = make.household(make.village())
    ids = [_queue_pin_notice(app, household.id, now + timedelta(seconds=s)) for s in (0, 1, 2)]
    with app.app_context():
        first = sending.send_pending(app.config, now + timedelta(seconds=5))
        second = sending.send_pending(app.config, now + timedelta(seconds=66))
        third = sending.send_pending(app.config, now + timedelta(seconds=127))
    assert (first.sent, first.waiting) == (1, 2)
    assert (second.sent, third.sent) == (1, 1)
    assert len(read_texts(sms_sink.sink.dir)) == 3 and all(_state(app, i) != "failed" for i in ids)


def test_a_wrong_secret_is_refused_and_the_county_sees_why(app, client, make, sms_sink, login_as):
    """With a secret the provider does not know: does the sink refuse the signature, the text fail with
    SignatureDoesNotMatch, the other texts wait untouched, and the county's page say what to fix?"""
    now = utcnow()
    village = make.village()
    first, second = make.household(village), make.household(village)
    first_id, second_id = _queue_pin_notice(app, first.id, now), _queue_pin_notice(app, second.id, now)
    app.config["SMS_ACCESS_KEY_SECRET"] = "not-the-secret"
    try:
        with app.app_context():
            result = sending.send_pending(app.config, now)
    finally:
        app.config["SMS_ACCESS_KEY_SECRET"] = sms_sink.sink.access_key_secret
    assert (result.sent, result.failed) == (0, 1)
    with app.app_context():
        failed = db.session.get(NoticeDelivery, first_id)
        assert (failed.state, failed.error_code) == ("failed", "SignatureDoesNotMatch")
        assert db.session.get(NoticeDelivery, second_id).state == "queued"
    assert read_texts(sms_sink.sink.dir) == []

    login_as("county")
    page = client.get("/messages/record").get_data(as_text=True)
    assert 'data-account-error="SignatureDoesNotMatch"' in page and "COURTYARD_SMS_ACCESS_KEY_SECRET" in page
    assert "<code>SignatureDoesNotMatch</code>" in page

    client.post("/messages/record/failed/resend")
    with app.app_context():
        retried = sending.send_pending(app.config, utcnow())
    assert retried.sent == 2 and len(read_texts(sms_sink.sink.dir)) == 2


def test_no_answer_is_looked_up_before_sending_again(app, make, sms_sink):
    """The sink keeps silent: is the text "unsure", then — the provider not having it — sent exactly once?"""
    now = utcnow()
    household = make.household(make.village())
    delivery_id = _queue_pin_notice(app, household.id, now)
    sms_sink.sink.fail_next("silence")
    with app.app_context():
        silent = sending.send_pending(app.config, now)
    assert silent.sent == 0 and _state(app, delivery_id) == "unsure"
    with app.app_context():
        later = sending.send_pending(app.config, now + timedelta(minutes=5))
        again = sending.send_pending(app.config, now + timedelta(minutes=30))
    assert (later.sent, again.sent) == (1, 0)
    assert len(read_texts(sms_sink.sink.dir)) == 1


def test_an_unsure_text_the_provider_has_is_not_sent_again(app, make, sms_sink):
    """A text whose sender died after the provider took it: does QuerySendDetails (by OutId) mark it sent?"""
    now = utcnow()
    household = make.household(make.village())
    delivery_id = _queue_pin_notice(app, household.id, now)
    with app.app_context():
        sending.send_pending(app.config, now)
        delivery = db.session.get(NoticeDelivery, delivery_id)
        delivery.state, delivery.claimed_at, delivery.sent_at = "sending", now, None  # as if it died before recording
        db.session.commit()
        result = sending.send_pending(app.config, now + sending.STALE_CLAIM + timedelta(minutes=1))
    assert result.sent == 1 and _state(app, delivery_id) in ("sent", "delivered")
    assert len(read_texts(sms_sink.sink.dir)) == 1
