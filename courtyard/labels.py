"""Display labels for stored codes (tiers, categories, kinds, roles), translatable."""

from flask_babel import lazy_gettext as _l

TIER_LABELS = {"poor": _l("Poor household"), "monitored": _l("Monitored household"), "lifted": _l("Lifted out of poverty")}
CATEGORY_LABELS = {"garden": _l("Garden vegetables"), "poultry": _l("Poultry"), "dried": _l("Dried goods"), "other": _l("Other")}
UNIT_KIND_LABELS = {"government": _l("Government office"), "school": _l("School"), "company": _l("Company"), "other": _l("Other")}
ROLE_LABELS = {"county": _l("County admin"), "partner": _l("Partner unit"), "team": _l("Village work team"), "household": _l("Household")}


def label_of(mapping, code):
    return mapping.get(code, code)
