"""community life: activities, sign-ups, open ledgers, council, organisations

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 09:05:04.809428
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('community_organisations',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('leader_hash', sa.String(length=64), nullable=False),
    sa.Column('leader_name', sa.String(length=64), nullable=False),
    sa.Column('leader_id_masked', sa.String(length=24), nullable=False),
    sa.Column('contact_sealed', sa.Text(), nullable=True),
    sa.Column('contact_masked', sa.String(length=24), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('activities', sa.String(length=500), nullable=False),
    sa.Column('how_to_join', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_organisations'))
    )
    with op.batch_alter_table('community_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_organisations_community_code'), ['community_code'], unique=False)

    op.create_table('council_meetings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('compound', sa.String(length=32), nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=128), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_meetings'))
    )
    with op.batch_alter_table('council_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_meetings_compound'), ['compound'], unique=False)

    op.create_table('community_activities',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('organiser', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.String(length=40), nullable=True),
    sa.Column('place', sa.String(length=128), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('signup_opens_at', sa.DateTime(), nullable=False),
    sa.Column('signup_closes_at', sa.DateTime(), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_code'], ['org_units.code'], name=op.f('fk_community_activities_community_code_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_activities'))
    )
    with op.batch_alter_table('community_activities', schema=None) as batch_op:
        batch_op.create_index('ix_community_activities_community_starts', ['community_code', 'starts_at'], unique=False)

    op.create_table('council_proposals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('compound', sa.String(length=32), nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('owner_hash', sa.String(length=64), nullable=False),
    sa.Column('name_masked', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('supporters', sa.Integer(), nullable=False),
    sa.Column('ticket_no', sa.String(length=40), nullable=True),
    sa.Column('meeting_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'], name=op.f('fk_council_proposals_meeting_id_council_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_proposals'))
    )
    with op.batch_alter_table('council_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_proposals_compound'), ['compound'], unique=False)

    op.create_table('ledger_imports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('compound', sa.String(length=32), nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_code'], ['org_units.code'], name=op.f('fk_ledger_imports_community_code_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_imports'))
    )
    with op.batch_alter_table('ledger_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_imports_compound'), ['compound'], unique=False)

    op.create_table('community_signups',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('owner_hash', sa.String(length=64), nullable=False),
    sa.Column('name_masked', sa.String(length=64), nullable=False),
    sa.Column('id_masked', sa.String(length=24), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('promoted', sa.Boolean(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('checked_in_via', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['community_activities.id'], name=op.f('fk_community_signups_activity_id_community_activities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_signups'))
    )
    with op.batch_alter_table('community_signups', schema=None) as batch_op:
        batch_op.create_index('ix_community_signups_activity_state', ['activity_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_signups_owner_hash'), ['owner_hash'], unique=False)

    op.create_table('council_supports',
    sa.Column('proposal_id', sa.String(length=36), nullable=False),
    sa.Column('household_hash', sa.String(length=64), nullable=False),
    sa.Column('supported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['council_proposals.id'], name=op.f('fk_council_supports_proposal_id_council_proposals')),
    sa.PrimaryKeyConstraint('proposal_id', 'household_hash', name=op.f('pk_council_supports'))
    )
    op.create_table('ledger_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('compound', sa.String(length=32), nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('counterparty', sa.String(length=64), nullable=False),
    sa.Column('voucher', sa.String(length=32), nullable=False),
    sa.Column('corrects', sa.String(length=36), nullable=True),
    sa.Column('import_id', sa.String(length=36), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['corrects'], ['ledger_entries.id'], name=op.f('fk_ledger_entries_corrects_ledger_entries')),
    sa.ForeignKeyConstraint(['import_id'], ['ledger_imports.id'], name=op.f('fk_ledger_entries_import_id_ledger_imports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('compound', 'voucher', name=op.f('uq_ledger_entries_compound_voucher')),
    sa.UniqueConstraint('corrects', name=op.f('uq_ledger_entries_corrects'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_compound_month', ['compound', 'month'], unique=False)


def downgrade() -> None:
    op.drop_table('ledger_entries')
    op.drop_table('community_signups')
    op.drop_table('ledger_imports')
    op.drop_table('council_proposals')
    op.drop_table('community_activities')
    op.drop_table('council_meetings')
    op.drop_table('community_organisations')
