"""service_breaker: the circuit breaker of an outside service (the payment server), shared by every worker

Revision ID: 0014_service_breaker
Revises: 0013_dashboard_summary
Create Date: 2026-12-07 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_service_breaker'
down_revision = '0013_dashboard_summary'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_breaker',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('opened_until', sa.DateTime(), nullable=True),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_service_breaker'))
    )


def downgrade():
    op.drop_table('service_breaker')
