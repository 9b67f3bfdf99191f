"""A separate process that asks to run one job for one due time (for the lease tests).

``python -m tests.support.lease_runner DATABASE_URL HOLDER START_AT LOG`` waits until the epoch
second START_AT, then runs a job that appends HOLDER to LOG; prints the outcome.
"""

import os
import sys
import time
from datetime import datetime, timezone

from courtyard import create_app
from courtyard.config import TestConfig
from courtyard.jobs import SKIPPED, JobDefinition, run_in_app

DUE = datetime(2026, 11, 23, 4, 5, tzinfo=timezone.utc)


def main(url, holder, start_at, log_path):
    app = create_app(type("RunnerConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                          "UPLOAD_DIR": os.path.dirname(log_path)}))

    def body():
        with open(log_path, "a") as log:
            log.write(holder + "\n")
        time.sleep(0.5)
        return holder

    time.sleep(max(0.0, float(start_at) - time.time()))
    result = run_in_app(app, JobDefinition("process-race", body, 5, "test job"), due_at=DUE, holder=holder)
    print("skipped" if result is SKIPPED else f"ran {result}")


if __name__ == "__main__":
    main(*sys.argv[1:])
