"""County pages for village work teams and their members."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from courtyard.county import bp
from courtyard.county.forms import StaffUserForm, TeamForm
from courtyard.extensions import db
from courtyard.models import User, Village, WorkTeam
from courtyard.services.identity import accounts
from courtyard.services.places import places, teams
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page
from courtyard.web.paging import page_of


@bp.route("/teams")
def team_list():
    page = page_of(select(WorkTeam).join(Village).order_by(Village.name, Village.id)
                   .options(contains_eager(WorkTeam.village).joinedload(Village.township), selectinload(WorkTeam.members)))
    return render_template("county/teams.html", teams=page.items, page=page)


@bp.route("/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
def team_form(team_id):
    team = db.get_or_404(WorkTeam, team_id) if team_id else WorkTeam()
    form = TeamForm(obj=team)
    form.village_id.choices = options(places.village_choices())
    save = lambda: teams.save_team(current_user, team, form.village_id.data, form.name.data, form.contact_phone.data or "")  # noqa: E731
    title = _("Edit work team") if team_id else _("New work team")
    return form_page(form, save, "county/form.html", lambda t: url_for("county.team_detail", team_id=t.id),
                     title=title, back=url_for("county.team_list"))


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
def team_detail(team_id):
    team = db.get_or_404(WorkTeam, team_id)
    form = StaffUserForm()
    save = lambda: accounts.create_staff_user(  # noqa: E731
        current_user, "team", form.login.data, form.password.data, form.display_name.data, form.phone.data or "", work_team=team
    )
    return form_page(form, save, "county/team_detail.html", url_for("county.team_detail", team_id=team.id),
                     message=_("Member added."), team=team)


@bp.route("/users/<int:user_id>/active/<int:active>", methods=["POST"])
def user_active(user_id, active):
    user = db.get_or_404(User, user_id)
    if user.role not in ("team", "partner") or user.id == current_user.id:
        return redirect(url_for("county.home"))
    accounts.set_staff_active(current_user, user, bool(active))
    flash(_("Account switched on.") if active else _("Account switched off."), "success")
    if user.role == "team":
        return redirect(url_for("county.team_detail", team_id=user.work_team_id))
    return redirect(url_for("county.unit_detail", unit_id=user.partner_unit_id))
