"""Request parsing that drops NUL characters from form fields and query strings.

No one types a NUL, but a crafted request can carry one, and PostgreSQL refuses text containing it;
removing it at parsing keeps every form and filter safe from that 500 in one place.
"""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):
    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
        else:
            super().__init__([(_clean(key), _clean(value)) for key, value in iter_multi_items(mapping)])


class CourtyardRequest(Request):
    parameter_storage_class = NulFreeMultiDict
