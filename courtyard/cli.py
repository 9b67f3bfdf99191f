"""``flask courtyard …`` commands."""

import click
from flask.cli import with_appcontext

from courtyard.errors import DomainError


@click.group("courtyard")
def courtyard_cli():
    """Courtyard administration commands."""


@courtyard_cli.command("demo")
@with_appcontext
def demo_command():
    """Load the demo county (safe to run twice) and print the demo logins."""
    from courtyard.models.types import utcnow
    from courtyard.services.demo import build_demo, build_demo_campaigns
    from courtyard.services.demo_visits import build_demo_visits

    with click.progressbar(length=4, label="Demo county") as bar:
        logins = build_demo(progress=lambda _step: bar.update(1))
        build_demo_campaigns(utcnow())
        build_demo_visits(utcnow())
        bar.update(1)
    click.echo("Demo data " + ("created." if logins.created else "already present; nothing added."))
    click.echo("")
    click.echo("Logins on http://127.0.0.1:5000/login (staff) and /login/pin (households):")
    click.echo(f"  County admin (县电商办)   {logins.admin[0]:<22} password {logins.admin[1]}")
    for village, login, password in logins.teams:
        click.echo(f"  Work team {village:<12}  {login:<22} password {password}")
    for unit, login, password in logins.units:
        click.echo(f"  Partner unit {unit:<10} {login:<22} password {password}")
    for village, name, phone, pin in logins.households:
        click.echo(f"  Household {village} {name:<6}   phone {phone:<16} PIN {pin}")


@courtyard_cli.command("create-admin")
@click.option("--login", prompt="Username", help="Lower-case username for the county admin.")
@click.option("--name", prompt="Display name", help="Name shown in the interface.")
@click.password_option("--password", help="At least 10 characters.")
@with_appcontext
def create_admin_command(login, name, password):
    """Create a county admin account."""
    from courtyard.services.accounts import create_staff_user

    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="--password")
    try:
        user = create_staff_user(None, "county", login, password, name)
    except DomainError as error:
        raise click.ClickException(str(error.message))
    click.echo(f"County admin {user.login} created.")


def _job_command(job):
    @with_appcontext
    def command():
        from flask import current_app

        from courtyard.jobs import run_in_app

        click.echo(f"{job.id}: {run_in_app(current_app._get_current_object(), job)}")

    command.__doc__ = job.help
    return click.command(job.id)(command)


def _register_jobs():
    from courtyard.jobs import JOBS

    for job in JOBS:
        courtyard_cli.add_command(_job_command(job))


_register_jobs()


@courtyard_cli.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduled jobs in this process until stopped."""
    import logging

    from flask import current_app

    from courtyard.jobs import run_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run_scheduler(current_app._get_current_object())
