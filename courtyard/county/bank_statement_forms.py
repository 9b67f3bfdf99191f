"""Forms of the bank-statement pages: upload a file with a layout, name a layout, match or set aside a line."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from courtyard.county.forms import REQUIRED
from courtyard.web.upload_limits import statement_size


class StatementUploadForm(FlaskForm):
    preset = SelectField(_l("Column layout"), validators=[DataRequired(_l("Choose one of the column layouts."))])
    file = FileField(_l("Statement exported from the bank (CSV or Excel)"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["csv", "xlsx"], _l("Choose a .csv or .xlsx file.")),
        statement_size()])


class PresetForm(FlaskForm):
    name = StringField(_l("Name of the layout"), validators=[DataRequired(REQUIRED), Length(max=60)],
                       description=_l("For example: 县农商银行 对公明细"))
    date_column = StringField(_l("Date column"), validators=[DataRequired(REQUIRED), Length(max=60)],
                              description=_l("As in the file's header, e.g. 交易日期"))
    amount_column = StringField(_l("Credit amount column"), validators=[DataRequired(REQUIRED), Length(max=60)],
                                description=_l("The money received, e.g. 贷方发生额 or 收入金额"))
    payer_name_column = StringField(_l("Payer name column"), validators=[Optional(), Length(max=60)])
    payer_account_column = StringField(_l("Payer account column"), validators=[Optional(), Length(max=60)])
    memo_columns = StringField(_l("Memo columns"), validators=[DataRequired(REQUIRED), Length(max=200)],
                               description=_l("One or more, separated by 、 e.g. 摘要、附言、用途"))
    serial_column = StringField(_l("Bank serial number column"), validators=[Optional(), Length(max=60)])


class LineMatchForm(FlaskForm):
    reference = StringField(_l("Pledge reference"), validators=[Length(max=40)],
                            description=_l("Type its reference, e.g. CY7KQ2M9XA, or pick a waiting pledge below"))
    pick = StringField(validators=[Length(max=40)])  # the radio buttons of the pledges waiting for this amount

    def validate_reference(self, field):
        if not (field.data or "").strip() and not (self.pick.data or "").strip():
            raise ValidationError(_l("Choose a pledge."))

    @property
    def chosen(self):
        return (self.reference.data or "").strip() or (self.pick.data or "").strip()


class SetAsideForm(FlaskForm):
    note = StringField(_l("What was done with this money"), validators=[
        DataRequired(_l("Say what was done with this money.")), Length(max=200)],
        description=_l("For example: returned to the payer on 12-05"))
