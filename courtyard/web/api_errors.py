"""The API's one error shape: ``{"error": {"code", "message", "fields"}}``, for every failure.

``error_response`` is also used by the app's error pages (``courtyard.web.error_pages``) so a URL under
``/api/`` answers JSON even when no API view was reached (an unknown path, a wrong method).
"""

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/"

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "validation_error",
    429: "rate_limited", 500: "server_error", 503: "unavailable",
}


def default_message(status):
    messages = {
        400: _("The request is not well formed."),
        401: _("Send a valid API token: Authorization: Bearer <token>."),
        403: _("Your account may not do this."),
        404: _("There is no such record, or it is not yours to see."),
        405: _("This address does not answer that method."),
        422: _("Some fields are not valid."),
        429: _("Too many requests. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Nothing was saved; please try again."),
    }
    return messages.get(status, _("The request could not be answered."))


def is_api_request():
    return request.path.startswith(API_PREFIX)


def error_response(status, message=None, fields=None, code=None):
    body = {"error": {"code": code or CODES.get(status, "error"), "message": str(message or default_message(status)),
                      "fields": {name: str(text) for name, text in (fields or {}).items()}}}
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="courtyard"'
    return response


def from_http_exception(error: HTTPException):
    """An HTTP error as JSON; keeps the headers werkzeug set (Allow on 405, Retry-After on 429)."""
    response = error_response(error.code or 500)
    if error.code == 405:
        response.headers["Allow"] = ", ".join(error.valid_methods or ())
    if error.code == 429 and getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


class FieldErrors(Exception):
    """Invalid input found by the API itself (types, missing fields): answered 422 with each field."""

    def __init__(self, fields, status=422):
        super().__init__(fields)
        self.fields = fields
        self.status = status
