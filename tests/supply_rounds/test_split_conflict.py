"""Two people saving the county split at the same moment: one is saved, the other told, nothing half-saved."""

import threading

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AuditEvent, SupplyShare
from courtyard.services.allocation import demand_split
from tests.supply_rounds.shop import campaign, declare, item, paid_pledge
from tests.support.campaigns import NOW


def test_two_saves_at_once_give_one_a_conflict_and_half_of_nothing(app, make, monkeypatch):
    """Do two county users saving the split at once (real threads, PostgreSQL) end with one save whole and the
    other refused with a clear message, none of its choices saved?"""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL: SQLite lets one writer at a time")
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 100)])
    east, west = make.village("东村"), make.village("西村")
    declare(app, shop.id, {(make.household(east).id, goose): 20, (make.household(west).id, goose): 20})
    first = paid_pledge(app, make.unit(), shop.id, {shop.offer_ids[0]: 2})
    second = paid_pledge(app, make.unit(), shop.id, {shop.offer_ids[0]: 3})
    saves = {"a": {first: west.id, second: east.id}, "b": {second: west.id}}
    both_read = threading.Barrier(2, timeout=10)
    read = demand_split.published_pledge_ids

    def read_then_wait(campaign_id):  # both have read the split as it was before either writes
        found = read(campaign_id)
        both_read.wait()
        return found

    monkeypatch.setattr(demand_split, "published_pledge_ids", read_then_wait)
    outcomes = {}

    def save(name):
        with app.app_context():
            try:
                demand_split.assign(None, shop.id, saves[name], NOW)
                outcomes[name] = "saved"
            except DomainError as error:
                outcomes[name] = str(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(name,)) for name in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["a", "b"] and list(outcomes.values()).count("saved") == 1
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    loser = "b" if winner == "a" else "a"
    assert "at the same moment" in outcomes[loser]
    with app.app_context():
        assert {s.pledge_id: s.village_id for s in db.session.query(SupplyShare)} == saves[winner]
        assert db.session.query(AuditEvent).filter_by(action="supply_share_set").count() == len(saves[winner])
