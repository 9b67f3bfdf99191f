"""field changes: collection-day recordings sent from phones, each applied once by its change id

Revision ID: 0018_field_changes
Revises: 0017_hardening
Create Date: 2026-12-07 19:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_field_changes'
down_revision = '0017_hardening'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('field_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_field_change_household_id_household')),
    sa.ForeignKeyConstraint(['item_id'], ['produce_item.id'], name=op.f('fk_field_change_item_id_produce_item')),
    sa.ForeignKeyConstraint(['record_id'], ['collection_record.id'], name=op.f('fk_field_change_record_id_collection_record')),
    sa.ForeignKeyConstraint(['round_id'], ['delivery_round.id'], name=op.f('fk_field_change_round_id_delivery_round')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_field_change_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_change')),
    sa.UniqueConstraint('change_id', name=op.f('uq_field_change_change_id'))
    )
    with op.batch_alter_table('field_change', schema=None) as batch_op:
        batch_op.create_index('ix_field_change_line', ['round_id', 'household_id', 'item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_field_change_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_field_change_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_field_change_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_field_change_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_field_change_record_id'), ['record_id'], unique=False)


def downgrade():
    with op.batch_alter_table('field_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_field_change_record_id'))
        batch_op.drop_index(batch_op.f('ix_field_change_item_id'))
        batch_op.drop_index(batch_op.f('ix_field_change_user_id'))
        batch_op.drop_index(batch_op.f('ix_field_change_household_id'))
        batch_op.drop_index(batch_op.f('ix_field_change_round_id'))
        batch_op.drop_index('ix_field_change_line')
    op.drop_table('field_change')
