from flask import abort, redirect, render_template, request, send_file, session, url_for
from flask_login import current_user
from sqlalchemy import func, select

from courtyard.access import HOME_ENDPOINTS
from courtyard.extensions import db
from courtyard.models import Campaign, Household, Package, Village
from courtyard.models.types import utcnow
from courtyard.public import bp
from courtyard.services.campaigns.campaigns import progress_of_each
from courtyard.services.catalog.photos import photo_path
from courtyard.services.dashboards.public_figures import public_figures
from courtyard.web.safe_redirect import is_local_path
from courtyard.web.short_cache import anonymous_page


@bp.route("/")
@anonymous_page
def home():
    stats = {
        "villages": db.session.scalar(select(func.count(Village.id))),
        "households": db.session.scalar(select(func.count(Household.id)).where(Household.active.is_(True))),
    }
    packages = db.session.scalars(select(Package).where(Package.active.is_(True)).order_by(Package.id)).all()
    home_url = url_for(HOME_ENDPOINTS[current_user.role]) if current_user.is_authenticated else None
    now = utcnow()
    rows = db.session.scalars(select(Campaign).where(Campaign.state == "open").order_by(Campaign.closes_at)).all()
    progress = progress_of_each(rows, now)
    open_campaigns = [(c, progress[c.id]) for c in rows]
    return render_template("public/home.html", stats=stats, packages=packages, home_url=home_url, campaigns=open_campaigns,
                           figures=public_figures(now))


@bp.route("/lang/<code>")
def set_language(code):
    if code not in ("zh_Hans", "en"):
        abort(404)
    session["lang"] = code
    target = request.args.get("next")
    return redirect(target if is_local_path(target) else url_for("public.home"))


@bp.route("/photos/<name>")
def photo(name):
    path = photo_path(name)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=86400)


@bp.route("/healthz")
def health():
    db.session.execute(select(1))
    return {"status": "ok"}
