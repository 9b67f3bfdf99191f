"""Work-team pages for allocating a round: run, read the result, adjust by hand, re-run, publish."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.access import allocation_run_in_scope, team_village_id
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models.types import utcnow
from courtyard.services.allocation import allocation_runs
from courtyard.services.contracts import terms as contract_terms
from courtyard.services.supply import collection_shortfall
from courtyard.services.supply.supply import round_items
from courtyard.web.form_pages import attach_error, flash_outcome, form_page
from courtyard.team import bp
from courtyard.team.forms import AdjustForm, RerunForm, ShortfallForm, UnpinForm
from courtyard.team.supply import round_or_404
from courtyard.web.confirm_form import ConfirmForm
from courtyard.services.places.households import by_ids as households_by_ids
from courtyard.services.supply import supply


@bp.route("/allocation/<int:campaign_id>/run", methods=["POST"])
def allocation_create(campaign_id):
    campaign = round_or_404(campaign_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("team.supply_table", campaign_id=campaign.id))
    try:
        run = allocation_runs.create_run(current_user, campaign.id, team_village_id(), utcnow())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("team.supply_table", campaign_id=campaign.id))
    flash(_("Allocation computed. Check it, adjust if needed, then publish."), "success")
    return redirect(url_for("team.allocation_run", run_id=run.id))


def _adjust_form(run, form_class=AdjustForm, **options):
    form = form_class(**options)
    households = households_by_ids({l.household_id for l in run.lines})
    form.household.choices = [(h.id, h.head_name) for h in households]
    form.item.choices = sorted({(l.item_id, l.item.name) for l in run.lines}, key=lambda c: c[1])
    return form


def _page_context(run):
    """The result page's rows: every household with a declaration, its lines, level and prior income."""
    households = supply.declaring_households(run.village_id, run.campaign_id)
    lines = {}
    for line in run.lines:
        lines.setdefault(line.household_id, []).append(line)
    items = {str(l.item_id): l.item for l in run.lines}
    items.update({str(i.id): i for i in round_items(run.campaign_id)})
    contracted = contract_terms.contracted_declarations(run.campaign_id, [h.id for h in households])
    return {"run": run, "households": households, "lines": lines, "items": items, "summary": run.summary,
            "contracted": [(l, contracted[(l.household_id, l.item_id)]) for l in run.lines
                           if (l.household_id, l.item_id) in contracted],
            "rerun_form": RerunForm(), "confirm": ConfirmForm(), "households_by_id": {h.id: h for h in households},
            "pinned": [l for l in run.lines if l.pinned], "unpin_error": None}


@bp.route("/allocation/runs/<int:run_id>")
def allocation_run(run_id):
    run = allocation_run_in_scope(run_id)
    return render_template("team/allocation_run.html", form=_adjust_form(run), shortfall_form=_shortfall_form(run),
                           **_page_context(run))


@bp.route("/allocation/runs/<int:run_id>/adjust", methods=["POST"])
def allocation_adjust(run_id):
    run = allocation_run_in_scope(run_id)
    form = _adjust_form(run)
    save = lambda: allocation_runs.adjust(current_user, run, form.household.data, form.item.data,  # noqa: E731
                                          form.units.data, form.reason.data, utcnow())
    return form_page(form, save, "team/allocation_run.html", url_for("team.allocation_run", run_id=run.id),
                     message=_("Adjusted and pinned; the other households were re-balanced."),
                     shortfall_form=_shortfall_form(run), **_page_context(run))


def _shortfall_form(run):
    return _adjust_form(run, ShortfallForm, prefix="shortfall")


@bp.route("/allocation/runs/<int:run_id>/shortfall", methods=["POST"])
def allocation_shortfall(run_id):
    """Step 1 shows where the missing units would go; step 2 (``confirmed``) applies it."""
    run = allocation_run_in_scope(run_id)
    form = _shortfall_form(run)
    confirmed = form.confirmed.data == "1"
    if form.validate_on_submit():
        args = (run, form.household.data, form.item.data, form.units.data)
        try:
            if not confirmed:
                proposal = collection_shortfall.propose(*args)
            else:
                collection_shortfall.confirm(current_user, *args, form.reason.data, utcnow())
                db.session.commit()
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            if confirmed:
                flash(_("Saved."), "success")
                return redirect(url_for("team.allocation_run", run_id=run.id))
            form.confirmed.data = "1"
            return render_template("team/allocation_run.html", form=_adjust_form(run), shortfall_form=form,
                                   proposal=proposal, **_page_context(run))
    return render_template("team/allocation_run.html", form=_adjust_form(run), shortfall_form=form, **_page_context(run)), 422


@bp.route("/allocation/runs/<int:run_id>/unpin", methods=["POST"])
def allocation_unpin(run_id):
    """Remove one pinned line, with a reason; a bad reason is shown next to that line."""
    run = allocation_run_in_scope(run_id)
    form = UnpinForm()
    if form.validate_on_submit():
        try:
            allocation_runs.unpin(current_user, run, form.household.data, form.item.data, form.reason.data, utcnow())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            message = str(error.message)
        else:
            flash(_("No longer set by hand; computed again."), "success")
            return redirect(url_for("team.allocation_run", run_id=run.id))
    else:
        message = next(iter(form.reason.errors or form.household.errors or form.item.errors
                            or [_("The form expired. Please send it again.")]))
    context = _page_context(run)
    context["unpin_error"] = (form.household.data, form.item.data, message)
    return render_template("team/allocation_run.html", form=_adjust_form(run), shortfall_form=_shortfall_form(run),
                           **context), 422


@bp.route("/allocation/runs/<int:run_id>/rerun", methods=["POST"])
def allocation_rerun(run_id):
    run = allocation_run_in_scope(run_id)
    form = RerunForm()
    if form.validate_on_submit():
        flash_outcome(lambda: allocation_runs.rerun(current_user, run, utcnow(), keep_pins=form.keep_pins.data),
                 _("Allocation computed again."))
    return redirect(url_for("team.allocation_run", run_id=run.id))


@bp.route("/allocation/runs/<int:run_id>/publish", methods=["POST"])
def allocation_publish(run_id):
    run = allocation_run_in_scope(run_id)
    if ConfirmForm().validate_on_submit():
        flash_outcome(lambda: allocation_runs.publish(current_user, run, utcnow()), _("Published as a public notice."))
    return redirect(url_for("team.allocation_run", run_id=run.id))
