"""Forms of the county's invoice pages: issue with the e-invoice file, reverse with the red-letter number."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length

from courtyard.county.forms import REQUIRED
from courtyard.web.form_fields import MoneyField
from courtyard.web.upload_limits import invoice_size


class IssueForm(FlaskForm):
    number = StringField(_l("Invoice number"), validators=[DataRequired(REQUIRED), Length(max=40)],
                         description=_l("发票号码, as the tax system printed it"))
    issued_on = DateField(_l("Issued on"), validators=[DataRequired(REQUIRED)])
    amount = MoneyField(_l("Amount (yuan)"), minimum_fen=1, validators=[DataRequired(REQUIRED)])
    file = FileField(_l("E-invoice file (PDF or OFD)"), validators=[FileRequired(_l("Choose a file.")), invoice_size()])


class ReverseForm(FlaskForm):
    red_number = StringField(_l("Red-letter invoice number"), validators=[DataRequired(REQUIRED), Length(max=40)])
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Say why, for the unit and the audit log.")),
                                                   Length(max=200)], description=_l("For example: refund of 2 packages"))
