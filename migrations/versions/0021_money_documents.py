"""money documents: bank statements matched to transfer pledges (the county's named column layouts, each upload,
each credit line, unique by its fingerprint so an upload seen before records nothing twice); invoices as documents
(requested, issued with number, date and e-invoice file, reversed with the red-letter number), moved from the
pledge's invoice columns, which go

Revision ID: 0021_money_documents
Revises: 0019_stored_figures
Create Date: 2026-12-07 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_money_documents'
down_revision = '0020_staff_offers'
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
    _invoices_up()


def _invoices_up():
    op.create_table(
        'invoice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pledge_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('tax_number', sa.String(length=30), nullable=False),
        sa.Column('amount_fen', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('issued_at', sa.DateTime(), nullable=True),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('file_name', sa.String(length=64), nullable=False),
        sa.Column('file_kind', sa.String(length=4), nullable=False),
        sa.Column('red_number', sa.String(length=40), nullable=False),
        sa.Column('reversal_reason', sa.String(length=255), nullable=False),
        sa.Column('reversed_at', sa.DateTime(), nullable=True),
        sa.Column('reversed_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('amount_fen > 0', name=op.f('ck_invoice_amount_positive')),
        sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], name=op.f('fk_invoice_pledge_id_pledge')),
        sa.ForeignKeyConstraint(['unit_id'], ['partner_unit.id'], name=op.f('fk_invoice_unit_id_partner_unit')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_invoice_requested_by_id_user')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_invoice_issued_by_id_user')),
        sa.ForeignKeyConstraint(['reversed_by_id'], ['user.id'], name=op.f('fk_invoice_reversed_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    )
    for column in ('pledge_id', 'unit_id', 'requested_by_id', 'issued_by_id', 'reversed_by_id'):
        op.create_index(op.f(f'ix_invoice_{column}'), 'invoice', [column])
    op.create_index('ix_invoice_state_requested_at', 'invoice', ['state', 'requested_at'])
    op.create_index('uq_invoice_pledge_current', 'invoice', ['pledge_id'], unique=True,
                    sqlite_where=sa.text("state != 'reversed'"), postgresql_where=sa.text("state != 'reversed'"))
    # what the pledge's flag said becomes an invoice: issued (before files were kept: no number, no file) or asked for
    op.execute("""
        INSERT INTO invoice (pledge_id, unit_id, state, title, tax_number, amount_fen, requested_at, number, issued_on,
                             issued_at, file_name, file_kind, red_number, reversal_reason)
        SELECT id, unit_id, CASE WHEN invoice_issued_at IS NULL THEN 'requested' ELSE 'issued' END,
               invoice_title, invoice_tax_number, CASE WHEN total_fen > refunded_fen THEN total_fen - refunded_fen
               ELSE total_fen END, invoice_requested_at, '', DATE(invoice_issued_at), invoice_issued_at, '', '', '', ''
        FROM pledge WHERE invoice_requested_at IS NOT NULL
    """)
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.drop_column('invoice_issued_at')
        batch_op.drop_column('invoice_requested_at')
        batch_op.drop_column('invoice_tax_number')
        batch_op.drop_column('invoice_title')


def _invoices_down():
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_title', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('invoice_tax_number', sa.String(length=30), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('invoice_requested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('invoice_issued_at', sa.DateTime(), nullable=True))
    op.execute("""
        UPDATE pledge SET
          invoice_title = (SELECT i.title FROM invoice i WHERE i.pledge_id = pledge.id AND i.state != 'reversed'),
          invoice_tax_number = (SELECT i.tax_number FROM invoice i WHERE i.pledge_id = pledge.id AND i.state != 'reversed'),
          invoice_requested_at = (SELECT i.requested_at FROM invoice i WHERE i.pledge_id = pledge.id AND i.state != 'reversed'),
          invoice_issued_at = (SELECT i.issued_at FROM invoice i WHERE i.pledge_id = pledge.id AND i.state != 'reversed')
        WHERE EXISTS (SELECT 1 FROM invoice i WHERE i.pledge_id = pledge.id AND i.state != 'reversed')
    """)
    op.drop_table('invoice')


def downgrade():
    _invoices_down()
    op.drop_table('statement_line')
    op.drop_table('statement_import')
    op.drop_table('statement_preset')
