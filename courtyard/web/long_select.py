"""A <select> for long lists of choices, such as a county's 300 villages in the dashboard's filters.

WTForms draws every option through ``html_params`` (sorting, escaping and joining each attribute as
Markup); with a few hundred options that was most of the county dashboard's drawing time. This widget
writes a plain option (a value, a label, maybe ``selected``) with one escaped format string and leaves
any option with extra attributes to WTForms.
"""

from markupsafe import Markup, escape
from wtforms.widgets import Select


class LongSelect(Select):
    @classmethod
    def render_option(cls, choice, **kwargs):
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = " selected" if choice.selected else ""
        label = choice.label if choice.label is not None and choice.label != "" else choice.value
        return Markup(f'<option value="{escape(value)}"{selected}>{escape(label)}</option>')
