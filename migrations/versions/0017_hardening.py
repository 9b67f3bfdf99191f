"""hardening: PIN pauses that end by themselves, session versions, and a record of failed logins

Revision ID: 0017_hardening
Revises: 0016_messages
Create Date: 2026-12-07 19:10:00

A PIN locked for good under the old rule becomes unlocked: the new pauses end by themselves, and the
household's team can still set a new PIN.
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_hardening'
down_revision = '0016_messages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('lock_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    op.execute(sa.text('UPDATE "user" SET locked = :no, failed_logins = 0 WHERE locked = :yes').bindparams(
        no=False, yes=True))
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('login', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_login'), ['login'], unique=False)


def downgrade():
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_login'))
        batch_op.drop_index(batch_op.f('ix_login_failure_at'))
    op.drop_table('login_failure')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
        batch_op.drop_column('lock_count')
        batch_op.drop_column('locked_until')
