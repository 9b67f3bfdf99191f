"""The public notice (公示) of a published allocation: masked names, units and income, nothing else."""

from flask import Response, abort, render_template

from courtyard.exports.notice import notice_data
from courtyard.extensions import db
from courtyard.models import AllocationRun
from courtyard.public import bp
from courtyard.web.short_cache import anonymous_page


def _published(run_id):
    run = db.session.get(AllocationRun, run_id)
    if run is None or run.state != "published":
        abort(404)
    return run


@bp.route("/notice/<int:run_id>")
@anonymous_page
def allocation_notice(run_id):
    run = _published(run_id)
    return render_template("public/allocation_notice.html", run=run, notice=notice_data(run))


@bp.route("/notice/<int:run_id>.pdf")
def allocation_notice_pdf(run_id):
    from courtyard.exports.notice import render_notice_pdf

    pdf = render_notice_pdf(notice_data(_published(run_id)))
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename=notice-{run_id}.pdf"})
