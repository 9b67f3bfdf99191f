"""Card payments for pledges against a real localstripe: authorise then capture, charge at once,
declines, payment server outages and reconciling, cancelling by the unit, refunds within limits."""

import threading
from datetime import datetime, timedelta, timezone

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CardPayment, Pledge
from courtyard.services.payments import card_payments, card_settlement

DECLINED_AT_CHARGE = "4000000000000341"


def _now():
    return datetime.now(timezone.utc)


def _call(app, function, pledge, *args, **kwargs):
    """Run a service function on the pledge inside its own app context; return the pledge's state."""
    with app.app_context():
        return function(db.session.get(Pledge, pledge.id), *args, **kwargs).state


def _reconcile(app, now):
    with app.app_context():
        counts = card_payments.reconcile_pending(now)
    return {outcome: n for outcome, n in counts.items() if n}


def test_all_or_nothing_pledge_is_authorised_then_captured_once(app, pay, stripe_api, pledge_in, snapshot):
    """Does an all-or-nothing pledge only hold the money until capture, and does a second capture
    (closing twice) leave the captured pledge alone?"""
    pledge = pledge_in(mode="all_or_nothing", quantity=2, price_fen=5000)

    assert pay(pledge) == "authorized"

    held = snapshot(pledge)
    assert (held.card_state, held.paid_at, held.sold) == ("authorized", None, 2)
    intent = stripe_api.retrieve_payment_intent(held.intent_id)
    assert (intent["status"], intent["capture_method"], intent["amount"], intent["currency"]) == \
        ("requires_capture", "manual", 10000, "cny")
    assert intent["metadata"] == {"pledge_id": str(pledge.id), "pledge_reference": pledge.reference,
                                  "campaign_id": str(pledge.campaign_id), "unit_id": str(pledge.unit_id), "attempt": "1"}

    assert _call(app, card_settlement.capture, pledge) == "paid"
    assert _call(app, card_settlement.capture, pledge) == "paid"

    paid = snapshot(pledge)
    assert (paid.card_state, paid.captured_fen, paid.sold) == ("captured", 10000, 2)
    assert paid.paid_at is not None
    assert stripe_api.retrieve_payment_intent(held.intent_id)["status"] == "succeeded"
    assert paid.audit == ["card_authorized", "card_captured"]


def test_flexible_pledge_is_charged_at_once(app, pay, stripe_api, pledge_in, snapshot):
    """Is a flexible campaign's pledge paid at once, with an automatically captured intent?"""
    pledge = pledge_in(mode="flexible", quantity=3, price_fen=2000)

    assert pay(pledge) == "paid"

    paid = snapshot(pledge)
    assert (paid.card_state, paid.captured_fen) == ("captured", 6000)
    assert paid.paid_at is not None and paid.audit == ["card_charged"]
    intent = stripe_api.retrieve_payment_intent(paid.intent_id)
    assert (intent["status"], intent["capture_method"]) == ("succeeded", "automatic")


def test_declined_card_declines_the_pledge_and_gives_the_stock_back(app, pay, stripe_api, pledge_in, snapshot):
    """Does a declined card end the pledge as declined, say why next to the card number, give the
    packages back and cancel the intent so it can never be confirmed later?"""
    pledge = pledge_in(quantity=2)

    with pytest.raises(DomainError) as declined:
        pay(pledge, DECLINED_AT_CHARGE)

    assert declined.value.field == "card_number"
    assert str(declined.value.message) == "The card was declined: Your card was declined."
    after = snapshot(pledge)
    assert (after.state, after.card_state, after.sold) == ("declined", "declined", 0)
    assert after.audit == ["card_declined"]
    assert stripe_api.retrieve_payment_intent(after.intent_id)["status"] == "canceled"
    with pytest.raises(DomainError, match="not waiting for a card payment"):
        pay(pledge)


def test_bad_card_number_is_refused_before_anything_happens(app, pay, stripe_config, pledge_in, snapshot, intents_of):
    """Is a mistyped card number refused next to the field, with no payment row and no intent?"""
    pledge = pledge_in()

    with pytest.raises(DomainError) as refused:
        pay(pledge, "4242 4242 4242 4241")

    assert refused.value.field == "card_number"
    assert snapshot(pledge).card_state is None and intents_of(pledge) == []


def test_payment_server_down_keeps_the_pledge_pending_then_releases_it(
        app, pay, stripe_config, closed_port_url, pledge_in, snapshot, intents_of, later):
    """With the payment server down from the start, is the pledge kept as payment pending with a clear
    message, and does the reconcile job (once the server is back) release it, since no payment exists?"""
    pledge = pledge_in(quantity=2)
    app.config["STRIPE_API_BASE"] = closed_port_url

    with pytest.raises(DomainError) as down:
        pay(pledge)

    assert str(down.value.message) == ("The payment server cannot be reached. Your pledge is kept as payment pending "
                                       "and will be completed or released automatically.")
    pending = snapshot(pledge)
    assert (pending.state, pending.card_state, pending.intent_id, pending.sold) == ("payment_pending", "unknown", None, 2)

    app.config["STRIPE_API_BASE"] = stripe_config
    assert _reconcile(app, _now()) == {}  # too recent: a payment may still be under way
    assert _reconcile(app, later) == {"declined": 1}
    assert _reconcile(app, later) == {}
    released = snapshot(pledge)
    assert (released.state, released.card_state, released.sold) == ("declined", "declined", 0)
    assert intents_of(pledge) == []


def test_reconcile_completes_a_payment_cut_off_before_confirmation_with_one_intent(
        app, pay, outage_client, pledge_in, snapshot, intents_of, later):
    """When the server goes down after the intent is made but before the card is confirmed, does the
    reconcile job complete the pledge later on that same intent, never making a second one?"""
    pledge = pledge_in(mode="all_or_nothing")

    with pytest.raises(DomainError, match="cannot be reached"):
        pay(pledge, client=outage_client(fails_at="/confirm"))

    pending = snapshot(pledge)
    assert (pending.state, pending.card_state) == ("payment_pending", "unknown")
    assert [i["status"] for i in intents_of(pledge)] == ["requires_confirmation"]

    assert _reconcile(app, later) == {"authorized": 1}
    assert _reconcile(app, later) == {}

    done = snapshot(pledge)
    assert (done.state, done.card_state) == ("authorized", "authorized")
    assert [(i["id"], i["status"]) for i in intents_of(pledge)] == [(pending.intent_id, "requires_capture")]


def test_lost_answer_to_a_charge_is_never_charged_twice(app, pay, outage_client, pledge_in, snapshot, intents_of, later):
    """When the charge went through but its answer was lost, does the reconcile job find the payment
    and mark the pledge paid without confirming anything again?"""
    pledge = pledge_in(mode="flexible", quantity=1, price_fen=8800)

    with pytest.raises(DomainError, match="cannot be reached"):
        pay(pledge, client=outage_client(fails_at="/confirm", delivered=True))
    assert snapshot(pledge).state == "payment_pending"

    assert _reconcile(app, later) == {"paid": 1}

    paid = snapshot(pledge)
    assert (paid.state, paid.card_state, paid.captured_fen) == ("paid", "captured", 8800)
    intents = intents_of(pledge)
    assert [(i["status"], i["latest_charge"]["amount"]) for i in intents] == [("succeeded", 8800)]


def test_paying_again_after_an_outage_reuses_the_intent(app, pay, outage_client, pledge_in, snapshot, intents_of):
    """Does the unit's second try after an outage confirm the pledge's existing intent, not a new one?"""
    pledge = pledge_in()
    with pytest.raises(DomainError):
        pay(pledge, client=outage_client(fails_at="/confirm"))

    assert pay(pledge) == "authorized"

    assert len(intents_of(pledge)) == 1
    assert snapshot(pledge).intent_id == intents_of(pledge)[0]["id"]


def test_intent_made_just_before_a_crash_is_found_by_metadata(app, pay, stripe_api, pledge_in, snapshot, intents_of):
    """If the app died after Stripe made the intent but before its id was stored, does the next try
    find that intent by metadata and use it, instead of making a second one?"""
    pledge = pledge_in()
    lost = stripe_api.create_payment_intent(pledge.total_fen, capture_method="manual", metadata={
        "pledge_id": pledge.id, "pledge_reference": pledge.reference, "attempt": 1})
    with app.app_context():  # the row as the crash left it, old enough not to be in flight
        db.session.add(CardPayment(pledge_id=pledge.id, state="creating", amount_fen=pledge.total_fen,
                                   created_at=_now() - timedelta(minutes=30), updated_at=_now() - timedelta(minutes=30)))
        db.session.commit()

    assert pay(pledge) == "authorized"

    assert snapshot(pledge).intent_id == lost["id"]
    assert [i["id"] for i in intents_of(pledge)] == [lost["id"]]


def test_second_attempt_while_one_is_in_flight_is_refused(app, pay, stripe_config, pledge_in, snapshot, intents_of):
    """Is a double submission refused while the first attempt is still running, leaving Stripe untouched?"""
    pledge = pledge_in()
    with app.app_context():
        db.session.add(CardPayment(pledge_id=pledge.id, state="creating", amount_fen=pledge.total_fen,
                                   created_at=_now(), updated_at=_now()))
        db.session.commit()

    with pytest.raises(DomainError, match="already under way"):
        pay(pledge)

    assert snapshot(pledge).state == "payment_pending" and intents_of(pledge) == []


def test_double_submission_racing_makes_one_intent(app, pay, stripe_config, pledge_in, snapshot, intents_of):
    """Do two payments of one pledge started at the same moment make exactly one intent, one of them
    being told a payment is already under way?"""
    pledge = pledge_in()
    outcomes, barrier = [], threading.Barrier(2)

    def submit():
        barrier.wait()
        try:
            outcomes.append(pay(pledge))
        except DomainError as error:
            outcomes.append(str(error.message))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["A card payment for this pledge is already under way. It will be completed or "
                                "released automatically.", "authorized"]
    assert snapshot(pledge).state == "authorized" and len(intents_of(pledge)) == 1


def test_cancel_by_unit_releases_an_authorised_hold(app, pay, stripe_api, pledge_in, snapshot):
    """Does cancelling an authorised pledge before the close release the hold and give the stock back?"""
    pledge = pledge_in(mode="all_or_nothing", quantity=2)
    pay(pledge)

    assert _call(app, card_settlement.cancel_by_unit, pledge, None, _now()) == "cancelled"

    after = snapshot(pledge)
    assert (after.card_state, after.sold, after.refunds) == ("released", 0, [])
    assert stripe_api.retrieve_payment_intent(after.intent_id)["status"] == "canceled"
    assert after.audit == ["card_authorized", "card_hold_released"]


def test_cancel_by_unit_refunds_a_paid_flexible_pledge(app, pay, stripe_api, pledge_in, snapshot):
    """Does cancelling a paid flexible pledge refund all of it through Stripe and give the stock back?"""
    pledge = pledge_in(mode="flexible", quantity=2, price_fen=3000)
    pay(pledge)

    assert _call(app, card_settlement.cancel_by_unit, pledge, None, _now()) == "cancelled"

    after = snapshot(pledge)
    assert (after.refunded_fen, after.sold) == (6000, 0)
    [(amount, refund_id)] = after.refunds
    assert amount == 6000 and refund_id.startswith("re_")
    assert [r["amount"] for r in stripe_api.list_refunds(after.intent_id)] == [6000]
    assert after.audit == ["card_charged", "pledge_refunded", "pledge_cancelled"]


def test_cancel_by_unit_of_a_transfer_pledge_and_its_limits(app, stripe_config, pledge_in, snapshot):
    """Does cancelling stop waiting for a transfer, while a pending card payment or a closed
    campaign refuses to be cancelled?"""
    waiting = pledge_in("awaiting_transfer", method="transfer", quantity=4)
    assert _call(app, card_settlement.cancel_by_unit, waiting, None, _now()) == "cancelled"
    assert snapshot(waiting).sold == 0

    pending = pledge_in("payment_pending")
    with pytest.raises(DomainError, match="still being processed"):
        _call(app, card_settlement.cancel_by_unit, pending, None, _now())

    closed = pledge_in("awaiting_transfer", method="transfer", closes_in=timedelta(hours=1))
    with pytest.raises(DomainError, match="before its campaign closes"):
        _call(app, card_settlement.cancel_by_unit, closed, None, _now() + timedelta(hours=2))
    assert snapshot(closed).state == "awaiting_transfer"


def test_partial_refunds_never_exceed_what_was_paid(app, pay, stripe_api, pledge_in, snapshot):
    """Can a paid pledge be refunded in parts up to what was paid, and is every refund past that
    (or of nothing) refused without reaching Stripe?"""
    pledge = pledge_in(mode="flexible", quantity=1, price_fen=10000)
    pay(pledge)

    _call(app, card_settlement.refund, pledge, 3000, "one box arrived broken", None)
    _call(app, card_settlement.refund, pledge, 5000, "half the order was late", None)
    with pytest.raises(DomainError) as too_much:
        _call(app, card_settlement.refund, pledge, 2001, "too much", None)
    assert (str(too_much.value.message), too_much.value.field) == ("At most ¥20.00 can still be refunded.", "amount")
    with pytest.raises(DomainError, match="more than zero"):
        _call(app, card_settlement.refund, pledge, 0, "nothing", None)
    assert _call(app, card_settlement.refund, pledge, 2000, "the rest", None) == "paid"
    with pytest.raises(DomainError, match="¥0.00"):
        _call(app, card_settlement.refund, pledge, 1, "one fen more", None)

    after = snapshot(pledge)
    assert after.refunded_fen == 10000
    assert [amount for amount, _ in after.refunds] == [3000, 5000, 2000]
    assert sorted(r["amount"] for r in stripe_api.list_refunds(after.intent_id)) == [2000, 3000, 5000]
    assert after.audit.count("pledge_refunded") == 3


def test_transfer_paid_pledge_is_refunded_without_stripe(app, stripe_config, pledge_in, snapshot):
    """Is a refund of a pledge paid by bank transfer recorded, within the amount, with no Stripe refund?"""
    pledge = pledge_in("paid", mode="flexible", method="transfer", quantity=2, price_fen=5000)

    _call(app, card_settlement.refund, pledge, 4000, "one package short", None)
    with pytest.raises(DomainError, match="¥60.00"):
        _call(app, card_settlement.refund, pledge, 6001, "too much", None)

    after = snapshot(pledge)
    assert (after.state, after.refunded_fen, after.refunds) == ("paid", 4000, [(4000, None)])


def test_release_for_a_failed_campaign_happens_once(app, pay, stripe_api, pledge_in, snapshot):
    """Does releasing an authorised pledge of a failed campaign cancel the hold and give the stock back
    once, however often the close runs?"""
    pledge = pledge_in(mode="all_or_nothing", quantity=3)
    pay(pledge)

    assert _call(app, card_settlement.release, pledge, "released") == "released"
    assert _call(app, card_settlement.release, pledge, "released") == "released"

    after = snapshot(pledge)
    assert (after.card_state, after.sold) == ("released", 0)
    assert stripe_api.retrieve_payment_intent(after.intent_id)["status"] == "canceled"
    assert after.audit.count("card_hold_released") == 1
