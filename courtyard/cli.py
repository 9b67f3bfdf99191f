"""``flask courtyard …`` commands."""

import os

import click
from flask.cli import with_appcontext

from courtyard.errors import DomainError


@click.group("courtyard")
def courtyard_cli():
    """Courtyard administration commands."""


@courtyard_cli.command("demo")
@click.option("--scale", type=click.Choice(["small", "county"]), default="small", show_default=True,
              help="county: add 300 villages, 30,000 households, 500 units, 20 campaigns, 200,000 pledge lines "
                   "and a season of deliveries.")
@with_appcontext
def demo_command(scale):
    """Load the demo county (safe to run twice) and print the demo logins; refused in production."""
    from flask import current_app

    if current_app.config.get("PRODUCTION"):  # known passwords and a fixed API token
        raise click.ClickException("The demo county has known passwords and a fixed API token: not in production.")
    from courtyard.models.types import utcnow
    from courtyard.demo.base import build_demo, build_demo_campaigns
    from courtyard.demo.staff_offer import TEACHERS, UNIT, build_demo_staff_offer
    from courtyard.demo.visits import build_demo_visits

    with click.progressbar(length=4, label="Demo county") as bar:
        logins = build_demo(progress=lambda _step: bar.update(1))
        build_demo_campaigns(utcnow())
        build_demo_visits(utcnow())
        build_demo_staff_offer(utcnow())
        bar.update(1)
    if scale == "county":
        _county_scale()
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
    click.echo(f"  Staff of {UNIT} (职工自选)  phone {TEACHERS[0][1]} on /staff/sign-in: the text code lands "
               "in instance/sms/ (the SMS sink) and in the Messages page")
    if logins.cooperative:
        name, login, password = logins.cooperative
        click.echo(f"  Cooperative {name}  {login:<22} password {password}")
    if logins.api_token:
        click.echo("")
        click.echo(f"JSON API (/api/v1/openapi.json) as {logins.api_token[0]}:")
        click.echo(f"  curl -H 'Authorization: Bearer {logins.api_token[1]}' http://127.0.0.1:5000/api/v1/pledges")


def _county_scale():
    import time

    from courtyard.models.types import utcnow
    from courtyard.demo.county_size import COUNTY, build_county, steps

    started = time.monotonic()
    with click.progressbar(length=steps(COUNTY), label="County-sized data") as bar:
        built = build_county(utcnow(), progress=lambda: bar.update(1))
    if built:
        click.echo(f"County-sized data written in {time.monotonic() - started:.0f} s "
                   "(team logins team.c001…team.c300, unit logins unit.c001…unit.c500, same passwords).")
    else:
        click.echo("County-sized data already present; nothing added.")


@courtyard_cli.command("create-admin")
@click.option("--login", prompt="Username", help="Lower-case username for the county admin.")
@click.option("--name", prompt="Display name", help="Name shown in the interface.")
@click.password_option("--password", help="At least 10 characters.")
@with_appcontext
def create_admin_command(login, name, password):
    """Create a county admin account."""
    from courtyard.extensions import db
    from courtyard.services.identity.accounts import create_staff_user

    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="--password")
    try:
        user = create_staff_user(None, "county", login, password, name)
        db.session.commit()
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


@courtyard_cli.command("send-codes-watch")
@click.option("--every", default=2.0, show_default=True, help="Seconds between looks at the queue.")
@with_appcontext
def send_codes_watch_command(every):
    """Send queued sign-in codes every few seconds until stopped (the fast lane of the text messages)."""
    from flask import current_app

    from courtyard.services.staff_offers.code_sender import watch

    watch(current_app._get_current_object().config, every, on_result=lambda r: click.echo(f"codes: {r}"))


@courtyard_cli.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the scheduled jobs in this process until stopped."""
    import logging

    from flask import current_app

    from courtyard.jobs import run_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run_scheduler(current_app._get_current_object())


@courtyard_cli.command("backup")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@with_appcontext
def backup_command(folder):
    """Back up the database and the uploaded photos into FOLDER (default instance/backups/<time>)."""
    from flask import current_app

    from courtyard.models.types import utcnow
    from courtyard.services.operations.backup import backup

    now = utcnow()
    folder = folder or os.path.join(current_app.instance_path, "backups", now.strftime("courtyard-%Y%m%d-%H%M%S"))
    with click.progressbar(length=100, label="Backing up") as bar:
        try:
            manifest = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], folder, current_app.config["UPLOAD_DIR"],
                              now, progress=_percent(bar))
        except DomainError as error:
            raise click.ClickException(str(error.message))
        bar.update(100 - bar.pos)
    click.echo(f"Backup written to {folder}: {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables.")


@courtyard_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--replace", is_flag=True, help="Overwrite a database that already holds rows.")
@click.option("--database-url", default=None, help="Restore into this database instead of the app's own.")
@with_appcontext
def restore_command(folder, replace, database_url):
    """Restore a backup FOLDER into an empty database and check every table's row count."""
    from flask import current_app

    from courtyard.extensions import db
    from courtyard.services.operations.backup import restore

    url = database_url or current_app.config["SQLALCHEMY_DATABASE_URI"]
    db.engine.dispose()
    with click.progressbar(length=100, label="Restoring") as bar:
        try:
            checks = restore(folder, url, current_app.config["UPLOAD_DIR"], replace=replace, progress=_percent(bar))
        except DomainError as error:
            raise click.ClickException(str(error.message))
        bar.update(100 - bar.pos)
    wrong = [check for check in checks if not check.ok]
    for check in wrong:
        click.echo(f"  {check.table}: expected {check.expected} rows, found {check.found}", err=True)
    if wrong:
        raise click.ClickException(f"{len(wrong)} tables differ from the backup's manifest.")
    click.echo(f"Restored {sum(c.found for c in checks)} rows in {len(checks)} tables; every count matches the backup.")


def _percent(bar):
    def advance(done, total):
        target = int(done * 100 / total) if total else 100
        if target > bar.pos:
            bar.update(target - bar.pos)

    return advance
