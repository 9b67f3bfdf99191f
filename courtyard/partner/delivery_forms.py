"""The form a partner unit reports a problem with a delivery on."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from courtyard.web.upload_limits import photo_size


class ReportForm(FlaskForm):
    description = TextAreaField(_l("What is wrong?"), validators=[DataRequired(_l("Describe the problem.")), Length(max=2000)])
    photo = FileField(_l("Photo"), validators=[FileAllowed(["jpg", "jpeg", "png"], _l("Choose a JPEG or PNG picture.")),
                                               photo_size()])
