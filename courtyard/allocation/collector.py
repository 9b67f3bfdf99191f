"""Pausing Python's cyclic garbage collector while the engine builds large plain results.

Reading an instance and writing a result make hundreds of thousands of small dicts and lists and
no reference cycles; the collector's passes over them find nothing and cost a third of the time
of building them. :func:`paused` switches the collector off for a block and back on afterwards
(only if it was on: whoever switched it off keeps it off).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """Run the block with the cyclic garbage collector off."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
