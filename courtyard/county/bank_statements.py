"""County pages for bank statements: upload the bank's file, see each credit matched (or not) to a pledge,
confirm the matched ones in one step, match the rest by hand or set them aside; name column layouts."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.county import bp
from courtyard.county.bank_statement_forms import LineMatchForm, PresetForm, SetAsideForm, StatementUploadForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.web.form_pages import attach_error, flash_outcome, form_page
from courtyard.text.display_names import STATEMENT_LINE_LABELS
from courtyard.models import LINE_STATES, StatementImport, StatementLine
from courtyard.models.types import utcnow
from courtyard.web.paging import page_of
from courtyard.services.payments import bank_statement_layouts as presets, bank_statement_matching as matching
from courtyard.services.operations.table_files import ImportRejected


@bp.route("/bank-statements", methods=["GET", "POST"])
def statement_list():
    form = StatementUploadForm()
    form.preset.choices = [(layout.key, layout.name) for layout in presets.layouts()]
    problems = None
    if form.validate_on_submit():
        try:
            upload = form.file.data
            statement = matching.import_statement(current_user, upload.filename, upload.stream,
                                                  presets.layout(form.preset.data), utcnow())
            db.session.commit()
        except ImportRejected as rejected:
            problems = rejected.problems
            form.file.errors.append(_("Nothing was recorded: %(n)s rows have problems, listed below.", n=len(problems)))
        except matching.NothingNew as nothing:
            flash(_("Nothing new: all %(n)s credits of this file were recorded by an earlier upload.",
                    n=nothing.credit_count), "success")
            return redirect(url_for("county.statement_list"))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("%(new)s new credits recorded (%(seen)s seen before).", new=statement.new_count,
                    seen=statement.credit_count - statement.new_count), "success")
            return redirect(url_for("county.statement_detail", import_id=statement.id))
    page = page_of(select(StatementImport).options(joinedload(StatementImport.uploaded_by))
                   .order_by(StatementImport.uploaded_at.desc(), StatementImport.id.desc()))
    status = 422 if request.method == "POST" else 200
    return render_template("county/bank_statements.html", form=form, problems=problems, page=page,
                           open_counts=matching.open_counts([s.id for s in page.items])), status


@bp.route("/bank-statements/layouts", methods=["GET", "POST"])
def statement_presets():
    form = PresetForm()

    def save():
        layout = presets.save_preset(current_user, form.name.data, form.date_column.data, form.amount_column.data,
                                     form.payer_name_column.data, form.payer_account_column.data,
                                     form.memo_columns.data, form.serial_column.data, utcnow())
        db.session.commit()
        return layout

    return form_page(form, save, "county/statement_presets.html", url_for("county.statement_presets"),
                     message=_("Layout saved; choose it when you upload a file."), layouts=presets.layouts())


@bp.route("/bank-statements/<int:import_id>")
def statement_detail(import_id):
    statement = db.get_or_404(StatementImport, import_id)
    state = request.args.get("state") or "open"
    if state not in LINE_STATES + ("open",):
        state = "open"
    wanted = StatementLine.state.in_(matching.OPEN_LINE_STATES) if state == "open" else StatementLine.state == state
    page = page_of(select(StatementLine).where(StatementLine.import_id == statement.id, wanted)
                   .options(joinedload(StatementLine.pledge)).order_by(StatementLine.row_number))
    return render_template("county/bank_statement.html", statement=statement, page=page, state=state,
                           counts=matching.state_counts(statement.id), labels=STATEMENT_LINE_LABELS)


@bp.route("/bank-statements/<int:import_id>/confirm", methods=["POST"])
def statement_confirm(import_id):
    statement = db.get_or_404(StatementImport, import_id)

    def confirm():
        result = matching.confirm_matched(current_user, statement, utcnow())
        db.session.commit()
        return result

    flash_outcome(confirm, lambda counts: _("%(n)s transfers recorded; %(changed)s lines no longer match "
                                            "(their pledge was paid or expired since).", n=counts[0], changed=counts[1])
                  if counts[1] else _("%(n)s transfers recorded.", n=counts[0]))
    return redirect(url_for("county.statement_detail", import_id=statement.id))


@bp.route("/bank-statement-lines/<int:line_id>", methods=["GET", "POST"])
def statement_line(line_id):
    line = db.get_or_404(StatementLine, line_id)
    match, aside = LineMatchForm(prefix="match"), SetAsideForm(prefix="aside")
    action, now = request.form.get("action"), utcnow()
    form = match if action == "match" else aside
    if request.method == "POST" and form.validate_on_submit():
        try:
            if action == "match":
                matching.match_by_hand(current_user, line, match.chosen, now)
                flash(_("Transfer recorded; the pledge is paid."), "success")
            else:
                matching.set_aside(current_user, line, aside.note.data, now)
                flash(_("Line set aside."), "success")
            db.session.commit()
            return redirect(url_for("county.statement_detail", import_id=line.import_id))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
    status = 422 if request.method == "POST" else 200
    return render_template("county/bank_statement_line.html", line=line, match=match, aside=aside, labels=STATEMENT_LINE_LABELS,
                           candidates=matching.waiting_pledges_of_amount(line.amount_fen)), status
