"""信用公示: the public integrity notice of cooperatives and shops, by name. Households' records are never public."""

from flask import render_template
from sqlalchemy import select

from courtyard.models import Cooperative
from courtyard.web.paging import page_of
from courtyard.public import bp
from courtyard.services.cooperatives.queries import member_ids
from courtyard.services.integrity import record, sanctions
from courtyard.web.short_cache import anonymous_page


@bp.route("/credit")
@anonymous_page
def integrity_notice():
    page = page_of(select(Cooperative).order_by(Cooperative.name, Cooperative.id))
    rows = [(c, record.figures(member_ids(c.id)), sanctions.in_force_for(cooperative_ids=[c.id])) for c in page.items]
    return render_template("public/integrity_notice.html", rows=rows, page=page)
