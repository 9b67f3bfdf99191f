"""The inbox's forms: a button, and the channel choices per kind (one switch per kind and channel)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField

from courtyard.messages.sms_templates import TEMPLATES

CHANNEL_LABELS = {"inbox": _l("Inbox"), "sms": _l("Text message"), "mail": _l("E-mail")}
ROLE_CHANNELS = {"household": ("inbox", "sms"), "team": ("inbox", "sms"), "county": ("inbox", "sms"),
                 "partner": ("inbox", "sms", "mail")}


class ButtonForm(FlaskForm):
    """Just the CSRF token, for a button that changes something."""


def kinds_for(role):
    return [kind for kind, template in TEMPLATES.items() if role in template.roles]


def field_name(kind, channel):
    return f"{kind}__{channel}"


def preferences_form(role, stored):
    """A form with a switch per kind of ``role`` and channel, filled from ``stored`` ({kind: {channel: bool}})."""
    class PreferencesForm(FlaskForm):
        pass

    data = {}
    for kind in kinds_for(role):
        for channel in ROLE_CHANNELS[role]:
            setattr(PreferencesForm, field_name(kind, channel), BooleanField(CHANNEL_LABELS[channel]))
            data[field_name(kind, channel)] = stored[kind][channel]
    return PreferencesForm(data=data)


def chosen(form, role):
    """{kind: {channel: bool}} from a submitted form."""
    return {kind: {channel: form[field_name(kind, channel)].data for channel in ROLE_CHANNELS[role]}
            for kind in kinds_for(role)}
