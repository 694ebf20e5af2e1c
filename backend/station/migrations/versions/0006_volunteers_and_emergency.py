"""volunteers and emergency mode: volunteers, duties, what the platform publishes for the kiosk,
needs registered here and check-ins

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 08:00:00
"""

import sqlalchemy as sa
from alembic import op

from backend.shared.db import UtcDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('volunteers',
                    sa.Column('id_hash', sa.String(64), nullable=False),
                    sa.Column('entry', sa.JSON(), nullable=False),
                    sa.Column('updated_at', UtcDateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_volunteers')))
    op.create_table('volunteer_duties',
                    sa.Column('id', sa.String(36), nullable=False),
                    sa.Column('volunteer_hash', sa.String(64), nullable=False),
                    sa.Column('name', sa.String(64), nullable=False),
                    sa.Column('kind', sa.String(32), nullable=False),
                    sa.Column('started_at', UtcDateTime(), nullable=False),
                    sa.Column('ended_at', UtcDateTime(), nullable=True),
                    sa.Column('minutes', sa.Integer(), nullable=False),
                    sa.Column('forgotten', sa.Boolean(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_duties')))
    op.create_index(op.f('ix_volunteer_duties_volunteer_hash'), 'volunteer_duties', ['volunteer_hash'])
    op.create_table('volunteer_docs',
                    sa.Column('kind', sa.String(16), nullable=False),
                    sa.Column('key', sa.String(80), nullable=False),
                    sa.Column('payload', sa.JSON(), nullable=False),
                    sa.Column('updated_at', UtcDateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('kind', 'key', name=op.f('pk_volunteer_docs')))
    op.create_table('emergency_needs',
                    sa.Column('need_no', sa.String(40), nullable=False),
                    sa.Column('idempotency_key', sa.String(80), nullable=False),
                    sa.Column('mode_id', sa.String(36), nullable=False),
                    sa.Column('owner_hash', sa.String(64), nullable=False),
                    sa.Column('kind', sa.String(32), nullable=False),
                    sa.Column('urgency', sa.String(16), nullable=False),
                    sa.Column('building', sa.String(16), nullable=False),
                    sa.Column('unit', sa.String(16), nullable=False),
                    sa.Column('phone_sealed', sa.Text(), nullable=True),
                    sa.Column('phone_masked', sa.String(24), nullable=False),
                    sa.Column('submitted_at', UtcDateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('need_no', name=op.f('pk_emergency_needs')),
                    sa.UniqueConstraint('idempotency_key', name=op.f('uq_emergency_needs_idempotency_key')))
    op.create_index(op.f('ix_emergency_needs_owner_hash'), 'emergency_needs', ['owner_hash'])
    op.create_table('need_counters',
                    sa.Column('day', sa.String(8), nullable=False),
                    sa.Column('value', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('day', name=op.f('pk_need_counters')))
    op.create_table('emergency_checkins',
                    sa.Column('id', sa.String(36), nullable=False),
                    sa.Column('volunteer_hash', sa.String(64), nullable=False),
                    sa.Column('mode_id', sa.String(36), nullable=False),
                    sa.Column('task_group', sa.String(32), nullable=False),
                    sa.Column('at', UtcDateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_checkins')))
    op.create_index(op.f('ix_emergency_checkins_volunteer_hash'), 'emergency_checkins', ['volunteer_hash'])


def downgrade() -> None:
    for table in ('emergency_checkins', 'need_counters', 'emergency_needs', 'volunteer_docs',
                  'volunteer_duties', 'volunteers'):
        op.drop_table(table)
