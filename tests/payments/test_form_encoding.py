"""Stripe's form encoding of nested parameters."""

import pytest

from courtyard.payments.client import encode_form, idempotency_key, latest_charge_id


@pytest.mark.parametrize("params, pairs", [
    ({"amount": 100, "currency": "cny"}, [("amount", "100"), ("currency", "cny")]),
    ({"metadata": {"pledge_id": 7}}, [("metadata[pledge_id]", "7")]),
    ({"payment_method_types": ["card"]}, [("payment_method_types[]", "card")]),
    ({"confirm": True, "off_session": False}, [("confirm", "true"), ("off_session", "false")]),
    ({"description": None, "metadata": None}, []),
    ({"card": {"number": "4242", "exp_month": 12}},
     [("card[number]", "4242"), ("card[exp_month]", "12")]),
    ({"items": [{"price": "p1"}, {"price": "p2", "quantity": 2}]},
     [("items[0][price]", "p1"), ("items[1][price]", "p2"), ("items[1][quantity]", "2")]),
    ({"created": {"gte": 1700000000}}, [("created[gte]", "1700000000")]),
])
def test_encode_form(params, pairs):
    """Nested dicts become bracketed keys, lists of scalars `key[]`, and None is left out."""
    assert encode_form(params) == pairs


def test_idempotency_key_is_stable():
    """The same pledge and action always give the same key; another action another key."""
    assert idempotency_key("pledge", 7, "capture") == "courtyard:pledge:7:capture"
    assert idempotency_key("pledge", 7, "capture") != idempotency_key("pledge", 7, "cancel")


def test_latest_charge_id_reads_both_shapes():
    """Real Stripe sends the charge id, localstripe the whole charge: both give the id."""
    assert latest_charge_id({"latest_charge": "ch_1"}) == "ch_1"
    assert latest_charge_id({"latest_charge": {"id": "ch_2"}}) == "ch_2"
    assert latest_charge_id({"latest_charge": None}) is None
