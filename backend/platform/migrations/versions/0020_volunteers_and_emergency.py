"""volunteers and emergency mode: compounds, the volunteer register, duties, neighbour groups,
emergency areas, needs and task-group check-ins

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-10 08:00:00
"""

import sqlalchemy as sa
from alembic import op

from backend.shared.db import UtcDateTime

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        'compounds',
        sa.Column('code', sa.String(32), primary_key=True),
        sa.Column('community_code', sa.String(32), sa.ForeignKey('org_units.code', name='fk_compounds_community_code_org_units'), nullable=False),
        sa.Column('name_zh', sa.String(64), nullable=False),
        sa.Column('name_en', sa.String(128), nullable=False),
        sa.Column('buildings', sa.JSON(), nullable=False),
    )
    op.create_index('ix_compounds_community_code', 'compounds', ['community_code'])
    op.create_table(
        'volunteers',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('community_code', sa.String(32), sa.ForeignKey('org_units.code', name='fk_volunteers_community_code_org_units'), nullable=False),
        sa.Column('id_hash', sa.String(64), nullable=False),
        sa.Column('id_masked', sa.String(24), nullable=False),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('employer', sa.String(128), nullable=False),
        sa.Column('compound_code', sa.String(32), sa.ForeignKey('compounds.code', name='fk_volunteers_compound_code_compounds'), nullable=False),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('leads', sa.JSON(), nullable=False),
        sa.Column('task_group', sa.String(32), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
        sa.UniqueConstraint('community_code', 'id_hash', name='uq_volunteers_community_code_id_hash'),
    )
    op.create_index('ix_volunteers_compound_code', 'volunteers', ['compound_code'])
    op.create_table(
        'volunteer_duties',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('station_id', sa.String(64), sa.ForeignKey('stations.id', name='fk_volunteer_duties_station_id_stations'), nullable=False),
        sa.Column('volunteer_id', BigId, sa.ForeignKey('volunteers.id', name='fk_volunteer_duties_volunteer_id_volunteers'), nullable=False),
        sa.Column('community_code', sa.String(32), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('started_at', UtcDateTime(), nullable=False),
        sa.Column('ended_at', UtcDateTime(), nullable=True),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('forgotten', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_volunteer_duties_volunteer_id', 'volunteer_duties', ['volunteer_id'])
    op.create_index('ix_volunteer_duties_community_started', 'volunteer_duties', ['community_code', 'started_at'])
    op.create_table(
        'neighbour_groups',
        sa.Column('community_code', sa.String(32), sa.ForeignKey('org_units.code', name='fk_neighbour_groups_community_code_org_units'), primary_key=True),
        sa.Column('building', sa.String(16), primary_key=True),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('qr_text', sa.String(512), nullable=False),
        sa.Column('updated_by', sa.String(64), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'emergency_modes',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('community_code', sa.String(32), sa.ForeignKey('org_units.code', name='fk_emergency_modes_community_code_org_units'), nullable=False),
        sa.Column('scope', sa.String(16), nullable=False),
        sa.Column('compound_code', sa.String(32), nullable=True),
        sa.Column('buildings', sa.JSON(), nullable=False),
        sa.Column('area_name', sa.JSON(), nullable=False),
        sa.Column('reason', sa.String(255), nullable=False),
        sa.Column('message', sa.JSON(), nullable=False),
        sa.Column('notices', sa.JSON(), nullable=False),
        sa.Column('hotline', sa.String(32), nullable=False),
        sa.Column('started_at', UtcDateTime(), nullable=False),
        sa.Column('started_by', sa.String(64), nullable=False),
        sa.Column('ended_at', UtcDateTime(), nullable=True),
        sa.Column('ended_by', sa.String(64), nullable=False),
    )
    op.create_index('ix_emergency_modes_community_code', 'emergency_modes', ['community_code'])
    op.create_table(
        'emergency_needs',
        sa.Column('need_no', sa.String(40), primary_key=True),
        sa.Column('mode_id', sa.String(36), sa.ForeignKey('emergency_modes.id', name='fk_emergency_needs_mode_id_emergency_modes'), nullable=False),
        sa.Column('station_id', sa.String(64), sa.ForeignKey('stations.id', name='fk_emergency_needs_station_id_stations'), nullable=False),
        sa.Column('community_code', sa.String(32), nullable=False),
        sa.Column('building', sa.String(16), nullable=False),
        sa.Column('unit', sa.String(16), nullable=False),
        sa.Column('household', sa.String(32), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('urgency', sa.String(16), nullable=False),
        sa.Column('phrases', sa.JSON(), nullable=False),
        sa.Column('owner_hash', sa.String(64), nullable=False),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('id_masked', sa.String(24), nullable=False),
        sa.Column('contact_sealed', sa.Text(), nullable=True),
        sa.Column('phone_masked', sa.String(24), nullable=False),
        sa.Column('submitted_at', UtcDateTime(), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('level', sa.String(16), nullable=False),
        sa.Column('assignee', sa.String(64), nullable=False),
        sa.Column('assigned_at', UtcDateTime(), nullable=False),
        sa.Column('taken_by', sa.String(64), nullable=False),
        sa.Column('taken_at', UtcDateTime(), nullable=True),
        sa.Column('delivered_at', UtcDateTime(), nullable=True),
        sa.Column('history', sa.JSON(), nullable=False),
    )
    op.create_index('ix_emergency_needs_mode_id', 'emergency_needs', ['mode_id'])
    op.create_index('ix_emergency_needs_owner_hash', 'emergency_needs', ['owner_hash'])
    op.create_index('ix_emergency_needs_state_assigned', 'emergency_needs', ['state', 'assigned_at'])
    op.create_table(
        'emergency_checkins',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('mode_id', sa.String(36), sa.ForeignKey('emergency_modes.id', name='fk_emergency_checkins_mode_id_emergency_modes'), nullable=False),
        sa.Column('volunteer_id', BigId, sa.ForeignKey('volunteers.id', name='fk_emergency_checkins_volunteer_id_volunteers'), nullable=False),
        sa.Column('station_id', sa.String(64), sa.ForeignKey('stations.id', name='fk_emergency_checkins_station_id_stations'), nullable=False),
        sa.Column('task_group', sa.String(32), nullable=False),
        sa.Column('at', UtcDateTime(), nullable=False),
    )
    op.create_index('ix_emergency_checkins_mode_id', 'emergency_checkins', ['mode_id'])


def downgrade() -> None:
    for table in ('emergency_checkins', 'emergency_needs', 'emergency_modes', 'neighbour_groups',
                  'volunteer_duties', 'volunteers', 'compounds'):
        op.drop_table(table)
