"""ota13 rollouts: release bundles staff uploaded, rollouts of them and each station's progress

Revision ID: 0018
Revises: 0017 (0017 is being written elsewhere; re-chain to 0017 on merge)
Create Date: 2026-12-04 06:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'releases',
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('manifest', sa.JSON(), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by', sa.String(length=64), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('version', name=op.f('pk_releases')))
    op.create_table(
        'rollouts',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.Column('area_code', sa.String(length=32), nullable=True),
        sa.Column('canary_percent', sa.Integer(), nullable=False),
        sa.Column('window_start', sa.String(length=5), nullable=False),
        sa.Column('window_end', sa.String(length=5), nullable=False),
        sa.Column('rollback', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('paused_from', sa.String(length=16), nullable=True),
        sa.Column('note', sa.String(length=255), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['version'], ['releases.version'], name=op.f('fk_rollouts_version_releases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rollouts')))
    op.create_index(op.f('ix_rollouts_version'), 'rollouts', ['version'], unique=False)
    op.create_index(op.f('ix_rollouts_state'), 'rollouts', ['state'], unique=False)
    op.create_table(
        'rollout_stations',
        sa.Column('rollout_id', sa.BigInteger(), nullable=False),
        sa.Column('station_id', sa.String(length=64), nullable=False),
        sa.Column('community_code', sa.String(length=32), nullable=False),
        sa.Column('canary', sa.Boolean(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.String(length=512), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['rollout_id'], ['rollouts.id'],
                                name=op.f('fk_rollout_stations_rollout_id_rollouts')),
        sa.ForeignKeyConstraint(['station_id'], ['stations.id'],
                                name=op.f('fk_rollout_stations_station_id_stations')),
        sa.PrimaryKeyConstraint('rollout_id', 'station_id', name=op.f('pk_rollout_stations')))
    op.create_index(op.f('ix_rollout_stations_station_id'), 'rollout_stations', ['station_id'], unique=False)
    op.create_index(op.f('ix_rollout_stations_community_code'), 'rollout_stations', ['community_code'],
                    unique=False)


def downgrade() -> None:
    op.drop_table('rollout_stations')
    op.drop_table('rollouts')
    op.drop_table('releases')
