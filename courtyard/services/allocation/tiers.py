"""The tier weights the county sets for fair allocation."""

from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import DEFAULT_TIER_WEIGHTS_PERMILLE, TIERS, TierWeight
from courtyard.services.operations import audit


def current_weights():
    """Weights per tier as floats, with the defaults for any tier not yet set."""
    stored = {row.tier: row.weight_permille for row in db.session.query(TierWeight)}
    return {tier: stored.get(tier, DEFAULT_TIER_WEIGHTS_PERMILLE[tier]) / 1000 for tier in TIERS}


def set_weights(actor, weights_permille):
    before = {tier: int(weight * 1000) for tier, weight in current_weights().items()}
    for tier in TIERS:
        value = weights_permille[tier]
        if not 1 <= value <= 10000:
            raise DomainError(_l("A weight is between 0.001 and 10."), tier)
        row = db.session.get(TierWeight, tier) or TierWeight(tier=tier)
        row.weight_permille = value
        db.session.add(row)
    audit.record(actor, "tier_weights_set", "tier_weight", None, before=before, after=dict(weights_permille))
    db.session.commit()
