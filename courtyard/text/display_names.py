"""Display labels for stored codes (tiers, categories, kinds, roles), translatable."""

from flask_babel import lazy_gettext as _l

TIER_LABELS = {"poor": _l("Poor household"), "monitored": _l("Monitored household"), "lifted": _l("Lifted out of poverty")}
CATEGORY_LABELS = {"garden": _l("Garden vegetables"), "poultry": _l("Poultry"), "dried": _l("Dried goods"), "other": _l("Other")}
UNIT_KIND_LABELS = {"government": _l("Government office"), "school": _l("School"), "company": _l("Company"), "other": _l("Other")}
ROLE_LABELS = {"county": _l("County admin"), "partner": _l("Partner unit"), "team": _l("Village work team"), "household": _l("Household"),
               "staff": _l("Unit staff member"), "cooperative": _l("Cooperative")}

CAMPAIGN_STATE_LABELS = {"draft": _l("Draft"), "open": _l("Open"), "funded": _l("Funded"), "failed": _l("Goal not reached"),
                         "fulfilling": _l("Delivering"), "done": _l("Done")}
PLEDGE_STATE_LABELS = {
    "payment_pending": _l("Payment pending"), "awaiting_transfer": _l("Waiting for transfer"),
    "authorized": _l("Card authorised"), "paid": _l("Paid"), "cancelled": _l("Cancelled"), "expired": _l("Expired"),
    "released": _l("Released"), "declined": _l("Card declined"), "needs_action": _l("Needs your action"),
}
PACKAGE_KIND_LABELS = {"standard": _l("Ordinary package"), "adoption": _l("Adoption (raised by one household)")}
VISIT_STATE_LABELS = {"scheduled": _l("Scheduled"), "rescheduled": _l("Date moved"), "cancelled": _l("Cancelled"),
                      "done": _l("Done")}
REGISTRATION_STATE_LABELS = {"confirmed": _l("Confirmed"), "waitlisted": _l("Waiting list"), "cancelled": _l("Cancelled"),
                             "declined": _l("Declined the new date")}
ATTENDANCE_LABELS = {"attended": _l("Attended"), "no_show": _l("No-show")}
ACTIVITY_LABELS = {"picking": _l("Picking vegetables"), "chickens": _l("Feeding chickens"), "farm_meal": _l("Farm meal"),
                   "village_walk": _l("Village walk")}
ROUND_STATE_LABELS = {"scheduled": _l("Scheduled"), "allocated": _l("Allocated"), "collected": _l("Collected"),
                      "packed": _l("Packed")}
DELIVERY_STATE_LABELS = {"scheduled": _l("Scheduled"), "collected": _l("Collected"), "packed": _l("Packed"),
                         "shipped": _l("Shipped"), "delivered": _l("Delivered"), "confirmed": _l("Confirmed")}
RESOLUTION_LABELS = {"refund": _l("Refund"), "reship": _l("Re-ship"), "note": _l("Note only")}
METHOD_LABELS = {"card": _l("Bank card"), "transfer": _l("Bank transfer")}


def label_of(mapping, code):
    return mapping.get(code, code)

JOB_OUTCOME_LABELS = {"running": _l("Running"), "done": _l("Done"), "failed": _l("Failed")}
PAYOUT_METHOD_LABELS = {"bank": _l("Bank transfer"), "cash": _l("Cash")}
LEDGER_KIND_LABELS = {
    "payment_captured": _l("Card payment"), "transfer_received": _l("Transfer received"), "refund": _l("Refund"),
    "goods_accepted": _l("Goods accepted"), "hosting_fee": _l("Hosting fee"), "payout": _l("Payout"),
    "cooperative_fee": _l("Cooperative service fee"),
    "cost": _l("Cost"), "reversal": _l("Reversal"),
}
PERIOD_LABELS = {"month": _l("Month"), "season": _l("Season"), "year": _l("Year"), "custom": _l("Dates of your choice")}
INPUT_KIND_LABELS = {"fertiliser": _l("Fertiliser"), "pesticide": _l("Pesticide"), "feed": _l("Feed"),
                     "vaccination": _l("Vaccination")}

STAFF_OFFER_STATE_LABELS = {"open": _l("Open for choices"), "closed": _l("Closed"), "converted": _l("Pledged"),
                            "failed": _l("Not pledged")}

STATEMENT_LINE_LABELS = {"matched": _l("Matched"), "amount_differs": _l("Amount differs"),
                         "unknown_reference": _l("Unknown reference"), "duplicate": _l("Duplicate"),
                         "confirmed": _l("Recorded as a transfer"), "set_aside": _l("Set aside"), "open": _l("To deal with")}
INVOICE_STATE_LABELS = {"requested": _l("Asked for"), "issued": _l("Issued"), "reversed": _l("Reversed (红冲)")}

COOPERATIVE_KIND_LABELS = {"cooperative": _l("Cooperative"), "shop": _l("Online shop"), "family_farm": _l("Family farm")}
FEE_KIND_LABELS = {"none": _l("No fee"), "percent": _l("Per mille of the price"), "per_unit": _l("Fen per unit")}
CONTRACT_STATE_LABELS = {"draft": _l("Draft"), "signed": _l("Signed"), "active": _l("In force"),
                         "fulfilled": _l("Fulfilled"), "ended": _l("Ended early")}
SANCTION_KIND_LABELS = {"cooperative_suspended": _l("Suspended from new campaigns"),
                        "household_paused": _l("Paused from an item")}
