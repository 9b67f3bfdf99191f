"""The public notice (公示) of a published allocation: masked names, units and income, nothing else."""

from flask import abort, render_template
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.masking import mask_name
from courtyard.models import AllocationLine, AllocationRun, Household
from courtyard.public import bp


def notice_data(run):
    """Rows for the notice: masked name, and per item the units and income; no tier, phone or ID."""
    rows = {}
    for line, head_name in db.session.execute(
        select(AllocationLine, Household.head_name).join(Household, AllocationLine.household_id == Household.id)
        .where(AllocationLine.run_id == run.id, AllocationLine.units > 0).order_by(Household.id, AllocationLine.item_id)
    ).all():
        row = rows.setdefault(line.household_id, {"name": mask_name(head_name), "items": [], "income_fen": 0})
        row["items"].append({"item": line.item.name, "unit": line.item.unit, "units": line.units})
        row["income_fen"] += line.income_fen
    return list(rows.values())


@bp.route("/notice/<int:run_id>")
def allocation_notice(run_id):
    run = db.session.get(AllocationRun, run_id)
    if run is None or run.state != "published":
        abort(404)
    return render_template("public/allocation_notice.html", run=run, rows=notice_data(run))
