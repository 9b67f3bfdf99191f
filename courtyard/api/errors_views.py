"""Every failure inside an API view answers the one error shape."""

from werkzeug.exceptions import HTTPException

from courtyard.api import bp
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.web.api_errors import FieldErrors, error_response, from_http_exception


@bp.errorhandler(HTTPException)
def http_error(error):
    return from_http_exception(error)


@bp.errorhandler(FieldErrors)
def field_errors(error):
    return error_response(error.status, fields=error.fields)


@bp.errorhandler(DomainError)
def domain_error(error):
    """A broken business rule: 422, with the message on the field the service named."""
    db.session.rollback()
    return error_response(422, error.message, {error.field: error.message} if error.field else None)
