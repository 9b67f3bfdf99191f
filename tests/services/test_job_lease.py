"""The scheduler's lease: each job runs once per due time, however many processes ask to run it."""

import threading
import time
from datetime import datetime, timedelta, timezone

from courtyard.extensions import db
from courtyard.jobs import SKIPPED, JobDefinition, run_in_app
from courtyard.models import JobLease
from courtyard.services.operations.job_lease import due_time, release_lease, take_lease

DUE = datetime(2026, 11, 23, 4, 5, tzinfo=timezone.utc)


def _racing_job(calls):
    def body():
        calls.append(threading.get_ident())
        time.sleep(0.3)  # long enough for the other runner to arrive while this one holds the lease
        return len(calls)

    return JobDefinition("race-test", body, 5, "test job")


def _race(app, job, due_at, runners=2):
    barrier, results = threading.Barrier(runners), {}

    def runner(n):
        barrier.wait()
        results[n] = run_in_app(app, job, due_at=due_at, holder=f"host-{n}:1")

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_runners_for_the_same_due_time_run_the_job_once(app):
    """Do two threads (own sessions, own connections) asking to run one job for one due time run it exactly once?"""
    calls = []
    results = _race(app, _racing_job(calls), DUE, runners=3)
    assert len(calls) == 1
    assert sorted(results.values(), key=str) == sorted([1, SKIPPED, SKIPPED], key=str)
    with app.app_context():
        lease = db.session.get(JobLease, "race-test")
        assert lease.finished and lease.outcome == "done" and lease.result == "1" and lease.finished_at is not None


def test_the_next_due_time_runs_again_but_the_same_one_does_not(app):
    """After a finished run, does the same due time stay done while the next due time runs?"""
    calls = []
    job = _racing_job(calls)
    run_in_app(app, job, due_at=DUE, holder="a:1")
    assert run_in_app(app, job, due_at=DUE, holder="b:2") is SKIPPED
    run_in_app(app, job, due_at=DUE + timedelta(minutes=5), holder="b:2")
    assert len(calls) == 2


def test_a_lease_whose_holder_died_is_taken_over_after_it_expires(app):
    """Is a lease left by a crashed process refused while live and taken over once expired?"""
    now = DUE + timedelta(seconds=3)
    ttl = timedelta(minutes=15)
    with app.app_context():
        assert take_lease("close-campaigns", DUE, "dead:1", now, ttl)
        assert not take_lease("close-campaigns", DUE, "alive:2", now + timedelta(minutes=14), ttl)
        assert take_lease("close-campaigns", DUE, "alive:2", now + timedelta(minutes=15), ttl)
        assert not release_lease("close-campaigns", DUE, "dead:1", now + timedelta(minutes=16), outcome="done")
        assert release_lease("close-campaigns", DUE, "alive:2", now + timedelta(minutes=16), outcome="done", result=0)
        assert db.session.get(JobLease, "close-campaigns").holder == "alive:2"


def test_a_running_job_holds_off_the_next_due_time_until_it_finishes(app):
    """While a run is still going (lease live, unfinished), is the next due time skipped rather than run alongside?"""
    now = DUE + timedelta(seconds=1)
    with app.app_context():
        assert take_lease("send-mail", DUE, "a:1", now, timedelta(minutes=15))
        assert not take_lease("send-mail", DUE + timedelta(minutes=1), "b:2", now + timedelta(minutes=1), timedelta(minutes=15))


def test_a_failed_run_is_recorded_with_its_error(app):
    """Does a failing job leave outcome 'failed' and its error message on the lease row, without raising?"""
    def broken():
        raise RuntimeError("mail server unreachable")

    assert run_in_app(app, JobDefinition("broken-test", broken, 1, "test"), due_at=DUE) is None
    with app.app_context():
        lease = db.session.get(JobLease, "broken-test")
        assert lease.outcome == "failed" and "mail server unreachable" in lease.error and lease.finished


def test_due_times_are_aligned_so_every_process_agrees():
    """Do two processes firing a few seconds apart compute the same due time, on the interval's multiples?"""
    fired = datetime(2026, 11, 23, 4, 7, 0, 300000, tzinfo=timezone.utc)
    assert due_time(5, fired) == due_time(5, fired + timedelta(seconds=50)) == datetime(2026, 11, 23, 4, 5, tzinfo=timezone.utc)
    assert due_time(15, fired) == datetime(2026, 11, 23, 4, 0, tzinfo=timezone.utc)


def test_two_processes_for_the_same_due_time_run_the_job_once(app, database_url, tmp_path):
    """Do two separate processes (as on two hosts) starting together run one job's due time exactly once?"""
    import subprocess
    import sys

    log = tmp_path / "runs.log"
    start_at = str(time.time() + 4)  # both processes are up and waiting by then
    processes = [subprocess.Popen([sys.executable, "-m", "tests.services.lease_runner", database_url, f"proc-{n}:1",
                                   start_at, str(log)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    assert sorted(out.strip().split()[0] for out, _ in outputs) == ["ran", "skipped"], outputs
    assert len(log.read_text().split()) == 1
    with app.app_context():
        lease = db.session.get(JobLease, "process-race")
        assert lease.outcome == "done" and lease.holder == log.read_text().strip()
