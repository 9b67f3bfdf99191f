"""Request parsing that drops NUL characters from form fields and query strings.

No one types a NUL, but a crafted request can carry one, and PostgreSQL refuses text containing it;
removing it at parsing keeps every form and filter safe from that 500 in one place. JSON nested
too deeply for the parser is refused here too.
"""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.exceptions import BadRequest


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

    def get_json(self, force=False, silent=False, cache=True):
        """As Flask's, but JSON nested past Python's recursion limit is bad input (400), not a 500."""
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            raise BadRequest("The JSON is nested too deeply.") from None
