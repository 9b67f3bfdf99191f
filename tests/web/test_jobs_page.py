"""The county's jobs page: how each scheduled job's last run went; for the county only."""

from courtyard.jobs import JOBS, run_in_app
from tests.support.factories import login


def test_the_county_sees_each_jobs_last_run(app, client, login_as):
    """After runs, does the jobs page list every job, with the last outcome and a failure's error?"""
    run_in_app(app, next(job for job in JOBS if job.id == "expire-unpaid"))
    login_as("county")
    page = client.get("/county/jobs").get_data(as_text=True)
    assert all(f'data-job="{job.id}"' in page for job in JOBS)
    row = page.split('data-job="expire-unpaid"', 1)[1].split("</tr>", 1)[0]
    assert "job-outcome-done" in row
    untouched = page.split('data-job="send-mail"', 1)[1].split("</tr>", 1)[0]
    assert "job-outcome" not in untouched


def test_other_roles_cannot_see_the_jobs_page(client, make):
    """Does a work-team member get 403 on the jobs page?"""
    login(client, make.team_member(make.village()))
    assert client.get("/county/jobs").status_code == 403
