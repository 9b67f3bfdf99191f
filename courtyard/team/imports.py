"""Bulk household import for a work team, and the template files to fill in."""

import io

from flask import Response, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook

from courtyard.access import team_village_id
from courtyard.errors import DomainError
from courtyard.exports.cells import append_row, csv_writer
from courtyard.services.places.household_import import ImportRejected, import_households, template_rows
from courtyard.web.form_pages import attach_error
from courtyard.team import bp
from courtyard.team.forms import ImportForm


@bp.route("/households/import", methods=["GET", "POST"])
def household_import():
    form = ImportForm()
    problems = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            count = import_households(current_user, team_village_id(), upload.filename, upload.stream)
        except ImportRejected as rejected:
            problems = rejected.problems
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("%(count)s households imported.", count=count), "success")
            return redirect(url_for("team.household_list"))
    status = 422 if form.errors or problems else 200
    return render_template("team/import.html", form=form, problems=problems), status


@bp.route("/households/template.csv")
def import_template_csv():
    buffer = io.StringIO()
    csv_writer(buffer).writerows(template_rows())
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=households-template.csv"})


@bp.route("/households/template.xlsx")
def import_template_xlsx():
    book = Workbook()
    sheet = book.active
    for row in template_rows():
        append_row(sheet, row)
    for column in ("E", "F", "G"):  # phone, ID and card numbers as text, so Excel keeps every digit
        for cell in sheet[column]:
            cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return send_file(buffer, as_attachment=True, download_name="households-template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
