"""``/statement``: a household's own statement for this year (Asia/Shanghai), from the ledger."""

from flask_login import current_user

from courtyard.api.routes import api_route, ref
from courtyard.api.shapes import utc
from courtyard.localtime import local_today, period_of
from courtyard.models.types import utcnow
from courtyard.services.money.statements import statement_data


@api_route("/statement", summary="Your household's statement for this year: earned, paid, owed, every line",
           returns=ref("Statement"), tag="statements", roles=("household",))
def statement():
    data = statement_data(current_user.household, period_of("year", local_today(utcnow())))
    return {
        "household_id": data.household_id, "household": data.household, "village": data.village,
        "period_start": data.period.start.isoformat(), "period_end": data.period.end.isoformat(),
        "opening_fen": data.opening_fen, "earned_fen": data.earned_fen, "paid_fen": data.paid_fen,
        "closing_fen": data.closing_fen,
        "lines": [{
            "transaction_id": line.transaction_id, "at": utc(line.at), "kind": line.kind, "reversal": line.reversal,
            "campaign": line.campaign, "item": line.item, "item_unit": line.item_unit, "units": line.units,
            "unit_price_fen": line.unit_price_fen, "earned_fen": line.earned_fen, "paid_fen": line.paid_fen,
            "method": line.method, "reference": line.reference, "memo": line.memo,
        } for line in data.lines],
    }
