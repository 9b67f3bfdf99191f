"""``/me``: who the token belongs to."""

from flask_login import current_user

from courtyard.api.routes import api_route, ref
from courtyard.api.shapes import user_json


@api_route("/me", summary="The token's user", returns=ref("Me"), tag="me", errors=(401, 429))
def me():
    return user_json(current_user)
