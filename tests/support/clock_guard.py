"""A guard against the one way a test can depend on the day it runs: a session signed "later" than now.

Flask signs the session cookie with the time it was made and silently drops a cookie from the future, so
a test that logs in at the real clock and then travels back to a fixed date is logged out without a word
(its page redirects to the login). It passed on the day it was written and fails on every day after its
travel date. In the suite the session interface below fails such a test at once, on any date, saying why.
"""

import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature


class SessionFromTheFuture(AssertionError):
    """A request carried a session cookie signed after the (travelled) clock's now."""


class FutureSessionGuard(SecureCookieSessionInterface):
    """Flask's cookie sessions, failing loudly on a cookie signed after now instead of dropping it."""

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        cookie = request.cookies.get(self.get_cookie_name(app))
        if serializer is not None and cookie:
            try:
                _, signed_at = serializer.loads(cookie, return_timestamp=True)
            except BadSignature:
                pass
            else:
                ahead = signed_at.timestamp() - time.time()
                if ahead > 1:
                    raise SessionFromTheFuture(
                        f"this request's session was signed {ahead:.0f} s after the clock's now: the test logged in "
                        "at one time and travelled back before the request. Log in inside the travelled clock "
                        "(time_machine.travel(...): login(...); client.get(...)).")
        return super().open_session(app, request)
