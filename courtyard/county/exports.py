"""The county's big exports: every pledge line (of one campaign, or all), streamed as CSV or XLSX."""

from flask import Response, request, stream_with_context
from flask_login import current_user

from courtyard.county import bp
from courtyard.exports.pledge_lines import csv_chunks, xlsx_file_chunks
from courtyard.exports.xlsx_stream import MIMETYPE as XLSX
from courtyard.extensions import db
from courtyard.models import Campaign
from courtyard.services.operations import audit
from courtyard.services.pledges.pledge_lines import pledge_lines


@bp.route("/exports/pledge-lines.csv", defaults={"fmt": "csv"})
@bp.route("/exports/pledge-lines.xlsx", defaults={"fmt": "xlsx"})
def pledge_lines_export(fmt):
    """Sent while it is read: the rows come from a server-side cursor, chunk by chunk, never all at once."""
    campaign_id = request.args.get("campaign", type=int)
    stem = "pledge-lines"
    if campaign_id is not None:
        stem = f"pledge-lines-campaign-{db.get_or_404(Campaign, campaign_id).id}"
    audit.record(current_user, "pledge_lines_exported", "campaign" if campaign_id else "county", campaign_id, format=fmt)
    db.session.commit()
    rows = pledge_lines(campaign_id)
    body, mimetype = (csv_chunks(rows), "text/csv; charset=utf-8") if fmt == "csv" else (xlsx_file_chunks(rows), XLSX)
    return Response(stream_with_context(body), mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={stem}.{fmt}"})
