"""The field pages' service worker, served under ``/team/`` so that it may keep the team's pages for offline use.

The script itself is a static file (``static/field/sw.js``); only its address gives it its scope.
"""

from flask import current_app, send_from_directory

from courtyard.team import bp


@bp.route("/field-sw.js")
def field_service_worker():
    response = send_from_directory(current_app.static_folder, "field/sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
