"""Forms of the trace pages: how a household grew a batch, and the quality check at collection."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from courtyard.models import INPUT_CHOICES, INPUT_KINDS
from courtyard.text.display_names import INPUT_KIND_LABELS
from courtyard.web.form_fields import MultiCheckboxField, options
from courtyard.web.upload_limits import photo_size

# which inputs a kind of produce asks about
KINDS_BY_CATEGORY = {"poultry": ("feed", "vaccination")}
PLANT_KINDS = ("fertiliser", "pesticide")
OTHER_HINT = _l("Anything else, separated by commas")
PHOTO_TYPES = FileAllowed(["jpg", "jpeg", "png"], _l("Use a JPEG or PNG picture."))


def kinds_for(item):
    return KINDS_BY_CATEGORY.get(item.category, PLANT_KINDS)


class BatchForm(FlaskForm):
    started_on = DateField(_l("Planted or hatched on"), validators=[Optional()])
    harvested_on = DateField(_l("Harvested on"), validators=[Optional()])
    fertiliser = MultiCheckboxField(INPUT_KIND_LABELS["fertiliser"], choices=options((n, n) for n in INPUT_CHOICES["fertiliser"]))
    fertiliser_other = StringField(OTHER_HINT, validators=[Length(max=200)])
    pesticide = MultiCheckboxField(INPUT_KIND_LABELS["pesticide"], choices=options((n, n) for n in INPUT_CHOICES["pesticide"]))
    pesticide_other = StringField(OTHER_HINT, validators=[Length(max=200)])
    feed = MultiCheckboxField(INPUT_KIND_LABELS["feed"], choices=options((n, n) for n in INPUT_CHOICES["feed"]))
    feed_other = StringField(OTHER_HINT, validators=[Length(max=200)])
    vaccination = MultiCheckboxField(INPUT_KIND_LABELS["vaccination"],
                                     choices=options((n, n) for n in INPUT_CHOICES["vaccination"]))
    vaccination_other = StringField(OTHER_HINT, validators=[Length(max=200)])
    photo = FileField(_l("Add a photo"), validators=[Optional(), PHOTO_TYPES, photo_size()])

    def inputs(self, kinds):
        """``[{kind, name}]`` from the ticked choices and the typed extras of ``kinds``."""
        chosen = []
        for kind in kinds:
            chosen += [{"kind": kind, "name": name} for name in getattr(self, kind).data or []]
            typed = getattr(self, f"{kind}_other").data or ""
            chosen += [{"kind": kind, "name": part.strip()} for part in typed.replace("，", ",").replace("、", ",").split(",")
                       if part.strip()]
        return chosen

    def fill(self, batch, kinds):
        """Show a saved batch: known names ticked, the rest typed."""
        self.started_on.data, self.harvested_on.data = batch.started_on, batch.harvested_on
        for kind in kinds:
            names = [i["name"] for i in batch.inputs if i["kind"] == kind]
            getattr(self, kind).data = [n for n in names if n in INPUT_CHOICES[kind]]
            getattr(self, f"{kind}_other").data = "、".join(n for n in names if n not in INPUT_CHOICES[kind])


class CheckForm(FlaskForm):
    result = RadioField(_l("Result"), choices=options([("pass", _l("Passed")), ("fail", _l("Failed"))]),
                        validators=[InputRequired(_l("Choose passed or failed."))])
    certificate = StringField(_l("Certificate number (e.g. 合格证)"), validators=[Length(max=60)])
    note = TextAreaField(_l("Note"), validators=[Length(max=500)],
                         description=_l("Required when the goods failed: say what was wrong."))


__all__ = ["BatchForm", "CheckForm", "INPUT_KINDS", "kinds_for"]
