"""Display labels for stored codes (tiers, categories, kinds, roles), translatable."""

from flask_babel import lazy_gettext as _l

TIER_LABELS = {"poor": _l("Poor household"), "monitored": _l("Monitored household"), "lifted": _l("Lifted out of poverty")}
CATEGORY_LABELS = {"garden": _l("Garden vegetables"), "poultry": _l("Poultry"), "dried": _l("Dried goods"), "other": _l("Other")}
UNIT_KIND_LABELS = {"government": _l("Government office"), "school": _l("School"), "company": _l("Company"), "other": _l("Other")}
ROLE_LABELS = {"county": _l("County admin"), "partner": _l("Partner unit"), "team": _l("Village work team"), "household": _l("Household")}

CAMPAIGN_STATE_LABELS = {"draft": _l("Draft"), "open": _l("Open"), "funded": _l("Funded"), "failed": _l("Goal not reached"),
                         "fulfilling": _l("Delivering"), "done": _l("Done")}
PLEDGE_STATE_LABELS = {
    "payment_pending": _l("Payment pending"), "awaiting_transfer": _l("Waiting for transfer"),
    "authorized": _l("Card authorised"), "paid": _l("Paid"), "cancelled": _l("Cancelled"), "expired": _l("Expired"),
    "released": _l("Released"), "declined": _l("Card declined"),
}
METHOD_LABELS = {"card": _l("Bank card"), "transfer": _l("Bank transfer")}


def label_of(mapping, code):
    return mapping.get(code, code)

PAYOUT_METHOD_LABELS = {"bank": _l("Bank transfer"), "cash": _l("Cash")}
LEDGER_KIND_LABELS = {
    "payment_captured": _l("Card payment"), "transfer_received": _l("Transfer received"), "refund": _l("Refund"),
    "goods_accepted": _l("Goods accepted"), "hosting_fee": _l("Hosting fee"), "payout": _l("Payout"),
    "cost": _l("Cost"), "reversal": _l("Reversal"),
}
PERIOD_LABELS = {"month": _l("Month"), "season": _l("Season"), "year": _l("Year"), "custom": _l("Dates of your choice")}
