"""Households' encrypted numbers (ID number, bank card) are decrypted only where they are shown.

Every GET route of the route matrix's world is fetched by each kind of visitor while decryptions are
counted: only the bank file of a payout batch (the one document with full card numbers) may decrypt.
Lists, counts and the county's figures must not, since at county size each loaded value is a
decryption (30,000 households, two numbers each).
"""

import re

from courtyard.extensions import db
from courtyard.models import Household, types
from courtyard.services.places.households import load_bank_cards
from tests.access.world import build_world
from tests.support.factories import Factory

VISITORS = ("county", "team", "partner", "household", "anonymous")
SHOWS_NUMBERS = {"county.payout_batch_csv", "team.payout_batch_csv"}


def _fetch(app, world, visitor, url, decrypted):
    client = app.test_client()
    if visitor != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = str(world.visitors[visitor].id)
            session["_fresh"] = True
    before = len(decrypted)
    status = client.get(url).status_code
    return status, len(decrypted) - before


def test_only_the_bank_file_decrypts_the_numbers(app, monkeypatch):
    """Does every page some visitor can open leave the ID and card numbers encrypted, except the bank file?"""
    world = build_world(app, Factory(app))
    decrypted = []
    real = types._fernet

    class Counting:
        """The real Fernet object, with each decryption noted."""

        def __getattr__(self, name):
            return getattr(real(), name)

        def decrypt(self, token):
            decrypted.append(1)
            return real().decrypt(token)

    monkeypatch.setattr(types, "_fernet", Counting)
    decrypting, answered = set(), set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.startswith(("static", "api.")):
            continue
        url = re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: str(world.params.get(m.group(1), m.group(0))), rule.rule)
        for visitor in VISITORS:
            status, count = _fetch(app, world, visitor, url, decrypted)
            if status == 200:
                answered.add(rule.endpoint)
                if count:
                    decrypting.add(rule.endpoint)
    assert decrypting == SHOWS_NUMBERS
    assert {"county.home", "team.household_list", "team.household_detail", "team.home"} <= answered


def test_the_bank_file_loader_gives_full_card_numbers(app, make):
    """Are the deferred card numbers there, decrypted, when the bank file asks for them, and only they?"""
    household = make.household(make.village())
    with app.app_context():
        (loaded,) = load_bank_cards([household.id])
        assert loaded.bank_card == household.bank_card and len(household.bank_card) >= 16
        assert "id_number" not in db.inspect(loaded).dict
        assert db.session.get(Household, household.id) is loaded
