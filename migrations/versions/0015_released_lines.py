"""allocation adjustments may record units released by a cancelled or refunded pledge ('release')

Revision ID: 0015_released_lines
Revises: 0014_service_breaker
"""

from alembic import op

revision = '0015_released_lines'
down_revision = '0014_service_breaker'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('allocation_adjustment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_allocation_adjustment_action_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_allocation_adjustment_action_known'),
                                         "action in ('pin', 'unpin', 'release')")


def downgrade():
    op.execute("UPDATE allocation_adjustment SET action = 'pin' WHERE action = 'release'")
    with op.batch_alter_table('allocation_adjustment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_allocation_adjustment_action_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_allocation_adjustment_action_known'), "action in ('pin', 'unpin')")
