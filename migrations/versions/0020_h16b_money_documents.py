"""bank statements matched to transfer pledges: the county's named column layouts, each upload, each credit line
(unique by its fingerprint, so an upload seen before records nothing twice)

Revision ID: 0020_h16b_bank_statements
Revises: 0019_stored_figures
Create Date: 2026-12-07 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_h16b_bank_statements'
down_revision = '0019_stored_figures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'statement_preset',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('date_column', sa.String(length=60), nullable=False),
        sa.Column('amount_column', sa.String(length=60), nullable=False),
        sa.Column('payer_name_column', sa.String(length=60), nullable=False),
        sa.Column('payer_account_column', sa.String(length=60), nullable=False),
        sa.Column('memo_columns', sa.String(length=200), nullable=False),
        sa.Column('serial_column', sa.String(length=60), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_statement_preset_created_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_preset')),
        sa.UniqueConstraint('name', name=op.f('uq_statement_preset_name')),
    )
    op.create_index(op.f('ix_statement_preset_created_by_id'), 'statement_preset', ['created_by_id'])
    op.create_table(
        'statement_import',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('preset_name', sa.String(length=60), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('credit_count', sa.Integer(), nullable=False),
        sa.Column('new_count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_statement_import_uploaded_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_import')),
    )
    op.create_index(op.f('ix_statement_import_uploaded_by_id'), 'statement_import', ['uploaded_by_id'])
    op.create_index(op.f('ix_statement_import_uploaded_at'), 'statement_import', ['uploaded_at'])
    op.create_table(
        'statement_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('row_number', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('booked_on', sa.Date(), nullable=False),
        sa.Column('amount_fen', sa.Integer(), nullable=False),
        sa.Column('payer_name', sa.String(length=120), nullable=False),
        sa.Column('payer_account', sa.String(length=60), nullable=False),
        sa.Column('memo', sa.Text(), nullable=False),
        sa.Column('bank_serial', sa.String(length=80), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('pledge_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=255), nullable=False),
        sa.Column('bank_transfer_id', sa.Integer(), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint('amount_fen > 0', name=op.f('ck_statement_line_credit_positive')),
        sa.ForeignKeyConstraint(['import_id'], ['statement_import.id'], name=op.f('fk_statement_line_import_id_statement_import')),
        sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], name=op.f('fk_statement_line_pledge_id_pledge')),
        sa.ForeignKeyConstraint(['bank_transfer_id'], ['bank_transfer.id'], name=op.f('fk_statement_line_bank_transfer_id_bank_transfer')),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_statement_line_resolved_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_line')),
        sa.UniqueConstraint('fingerprint', name=op.f('uq_statement_line_fingerprint')),
        sa.UniqueConstraint('bank_transfer_id', name=op.f('uq_statement_line_bank_transfer_id')),
    )
    op.create_index(op.f('ix_statement_line_import_id'), 'statement_line', ['import_id'])
    op.create_index(op.f('ix_statement_line_pledge_id'), 'statement_line', ['pledge_id'])
    op.create_index(op.f('ix_statement_line_resolved_by_id'), 'statement_line', ['resolved_by_id'])
    op.create_index('ix_statement_line_import_id_state', 'statement_line', ['import_id', 'state'])


def downgrade():
    op.drop_table('statement_line')
    op.drop_table('statement_import')
    op.drop_table('statement_preset')
