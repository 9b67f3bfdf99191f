"""The one way a service commits in the middle of its work: a named, documented checkpoint.

Services flush and the edge (form page, job runner, CLI command, API or webhook handler) commits.
A few services cannot wait for the edge: they talk to the payment server, and what it has done
(an intent created, a card payment claimed for this worker) must be on disk before the next call,
so that a crash or a retry finds it instead of charging twice. Batch jobs settle one item at a
time, so that one item's payment trouble does not undo the others. Those services call
:func:`checkpoint` and say why in their module docstring; ``grep -rn "checkpoint("`` lists them all.
"""

from courtyard.extensions import db


def checkpoint():
    """Commit what the session holds now, because the next step must find it there after a crash."""
    db.session.commit()
