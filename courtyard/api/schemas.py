"""The OpenAPI components: one schema per shape in :mod:`courtyard.api.shapes`, reused by every path."""

from courtyard.models import CAMPAIGN_STATES, DELIVERY_STATES, PACKAGE_KINDS, PAYMENT_METHODS, PLEDGE_STATES, ROLES, TIERS

INT = {"type": "integer"}
FEN = {"type": "integer", "description": "Money in integer fen (1 yuan = 100 fen)."}
TEXT = {"type": "string"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time", "description": "ISO 8601, UTC."}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time", "description": "ISO 8601, UTC; null if not yet."}
MAYBE_INT = {"type": ["integer", "null"]}
LAST4 = {"type": "string", "maxLength": 4, "description": "Only the last four digits, or empty."}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def record(properties, optional=()):
    """An object whose properties are all present except ``optional`` ones."""
    return {"type": "object", "properties": properties,
            "required": [name for name in properties if name not in optional]}


def one_of(values):
    return {"type": "string", "enum": list(values)}


SCHEMAS = {
    "Error": record({"error": record({
        "code": TEXT, "message": TEXT,
        "fields": {"type": "object", "additionalProperties": TEXT, "description": "Field name → what is wrong."},
    })}),
    "Page": record({
        "data": {"type": "array"}, "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100}, "total": {"type": "integer", "minimum": 0},
        "next": {"type": ["string", "null"], "description": "The next page's URL, or null on the last page."},
    }),
    "Me": record({"id": INT, "role": one_of(ROLES), "display_name": TEXT, "login": TEXT, "village_id": MAYBE_INT,
                  "partner_unit_id": MAYBE_INT, "household_id": MAYBE_INT}),
    "PackageItem": record({"item_id": INT, "name": TEXT, "unit": TEXT, "quantity": INT}),
    "Package": record({"id": INT, "name": TEXT, "description": TEXT, "kind": one_of(PACKAGE_KINDS), "price_fen": FEN,
                       "active": BOOL, "items": {"type": "array", "items": ref("PackageItem")}}),
    "Offer": record({"id": INT, "package": ref("Package"), "price_fen": FEN, "cap": INT, "sold": INT,
                     "remaining": INT, "active": BOOL}),
    "Campaign": record({
        "id": INT, "title": TEXT, "state": one_of(CAMPAIGN_STATES), "mode": TEXT, "goal_kind": TEXT,
        "goal_value": INT, "opens_at": TIME, "closes_at": TIME, "limit_per_unit": MAYBE_INT,
        "limit_per_address": MAYBE_INT, "story": TEXT, "offers": {"type": "array", "items": ref("Offer")},
    }, optional=("story", "offers")),
    "Address": {"type": ["object", "null"], "properties": {"id": INT, "label": TEXT, "address": TEXT}},
    "PledgeLine": record({"offer_id": INT, "package_name": TEXT, "address": ref("Address"), "quantity": INT,
                          "unit_price_fen": FEN, "amount_fen": FEN}),
    "Pledge": record({
        "id": INT, "reference": TEXT, "campaign_id": INT, "unit_id": INT, "method": one_of(PAYMENT_METHODS),
        "state": one_of(PLEDGE_STATES), "total_fen": FEN, "refunded_fen": FEN, "created_at": TIME,
        "transfer_due_at": MAYBE_TIME, "paid_at": MAYBE_TIME, "lines": {"type": "array", "items": ref("PledgeLine")},
    }),
    "NewPledge": {
        "type": "object", "required": ["campaign_id", "method", "lines"],
        "properties": {
            "campaign_id": INT,
            "method": {**one_of(PAYMENT_METHODS), "description": "transfer: pay by bank transfer with the reference; "
                                                               "card: pay afterwards on the pledge's web page."},
            "lines": {"type": "array", "minItems": 1, "maxItems": 50, "items": {
                "type": "object", "required": ["offer_id", "address_id", "quantity"],
                "properties": {"offer_id": INT, "address_id": INT,
                               "quantity": {"type": "integer", "minimum": 1, "maximum": 10000}}}},
        },
    },
    "Delivery": record({
        "id": INT, "round_id": INT, "campaign_id": INT, "package_name": TEXT, "unit_id": INT, "address": ref("Address"),
        "state": one_of(DELIVERY_STATES), "promised_by": TIME, "packed_at": MAYBE_TIME, "shipped_at": MAYBE_TIME,
        "delivered_at": MAYBE_TIME, "confirmed_at": MAYBE_TIME,
        "boxes": {"type": "array", "items": TEXT, "description": "Trace codes of the boxes."},
    }),
    "Household": record({
        "id": INT, "village_id": INT, "head_name": TEXT, "member_count": INT, "tier": one_of(TIERS), "phone": TEXT,
        "active": BOOL, "id_number_last4": LAST4, "bank_card_last4": LAST4, "created_at": TIME,
    }),
    "AllocationLine": record({"household_id": INT, "head_name": TEXT, "item_id": INT, "item_name": TEXT,
                              "units": INT, "capacity": INT, "price_fen": FEN, "income_fen": FEN, "reason": TEXT,
                              "pinned": BOOL}),
    "AllocationRun": record({
        "id": INT, "campaign_id": INT, "village_id": INT, "round_id": MAYBE_INT, "state": one_of(("draft", "published")),
        "created_at": TIME, "published_at": MAYBE_TIME,
        "lines": {"type": "array", "items": ref("AllocationLine")},
    }, optional=("lines",)),
    "StatementLine": record({
        "transaction_id": INT, "at": TIME, "kind": TEXT, "reversal": BOOL, "campaign": TEXT, "item": TEXT,
        "item_unit": TEXT, "units": MAYBE_INT, "unit_price_fen": {"type": ["integer", "null"]}, "earned_fen": FEN,
        "paid_fen": FEN, "method": TEXT, "reference": TEXT, "memo": TEXT,
    }),
    "Statement": record({
        "household_id": INT, "household": TEXT, "village": TEXT, "period_start": {"type": "string", "format": "date"},
        "period_end": {"type": "string", "format": "date", "description": "The day after the period."},
        "opening_fen": FEN, "earned_fen": FEN, "paid_fen": FEN, "closing_fen": FEN,
        "lines": {"type": "array", "items": ref("StatementLine")},
    }),
}
