"""Staff offers (职工自选): a unit's staff choose their own packages within an allowance the unit pays.

``roll`` keeps the unit's staff, ``sign_in`` their text-code sign-in, ``offers`` opens and closes an
offer, ``choices`` takes each person's choice (holding stock like a pledge), ``conversion`` turns the
choices into one pledge at the deadline, ``queries`` reads what pages show.
"""
