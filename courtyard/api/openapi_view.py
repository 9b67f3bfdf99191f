"""``/api/v1/openapi.json``: the document, open to anyone (it describes, it does not reveal data)."""

from flask import jsonify

from courtyard.api.openapi import document
from courtyard.api.routes import api_route


@api_route("/openapi.json", summary="This OpenAPI document", returns={"type": "object"}, tag="meta", roles=None,
           errors=(429,))
def openapi_document():
    return jsonify(document())
