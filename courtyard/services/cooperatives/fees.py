"""A cooperative's service fee on what its members deliver, posted as its own ledger line.

The fee is a per-mille of the price or fen per unit (the cooperative's terms with the county). It is
never more than what is above the contract's floor: a household under a contract keeps at least the
floor price per unit, whatever the fee says.
"""

from courtyard.services.money import ledger
from courtyard.services.cooperatives.registry import cooperative_of


def fee_fen(cooperative, units, unit_price_fen, floor_price_fen=0):
    """The fee on ``units`` at ``unit_price_fen``, capped so each unit keeps ``floor_price_fen``."""
    if cooperative is None or cooperative.fee_kind == "none":
        return 0
    if cooperative.fee_kind == "percent":
        wanted = units * unit_price_fen * cooperative.fee_value // 1000  # rounded down, in the household's favour
    else:
        wanted = units * cooperative.fee_value
    return max(0, min(wanted, units * (unit_price_fen - floor_price_fen)))


def charge(household_id, campaign_id, item_id, units, unit_price_fen, cover, at, source_ref, *, actor=None):
    """Post the fee of a member's accepted goods (nothing for a non-member or a zero fee); returns it or None."""
    cooperative = cooperative_of(household_id)
    amount = fee_fen(cooperative, units, unit_price_fen, cover.floor_price_fen if cover else 0)
    if not amount:
        return None
    return ledger.post_cooperative_fee(household_id, cooperative.id, campaign_id, item_id, units, amount, at,
                                       source_ref, actor=actor, contract_id=cover.contract_id if cover else None)
