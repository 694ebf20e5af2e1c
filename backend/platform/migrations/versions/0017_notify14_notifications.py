"""notifications: channels, the outbox written with each alert, deliveries, silences and the rota

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 06:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification_channels',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=512), nullable=False),
    sa.Column('secret', sa.String(length=256), nullable=False),
    sa.Column('area_code', sa.String(length=32), nullable=False),
    sa.Column('min_severity', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('rate_per_minute', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['org_units.code'], name=op.f('fk_notification_channels_area_code_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_channels'))
    )
    op.create_index(op.f('ix_notification_channels_area_code'), 'notification_channels', ['area_code'], unique=False)
    op.create_table('notification_silences',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=True),
    sa.Column('area_code', sa.String(length=32), nullable=True),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_silences'))
    )
    op.create_index(op.f('ix_notification_silences_ends_at'), 'notification_silences', ['ends_at'], unique=False)
    op.create_table('notification_deliveries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('dedup_id', sa.String(length=160), nullable=False),
    sa.Column('channel_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('group_key', sa.String(length=96), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', sa.DateTime(), nullable=False),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['notification_channels.id'], name=op.f('fk_notification_deliveries_channel_id_notification_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_deliveries')),
    sa.UniqueConstraint('dedup_id', name=op.f('uq_notification_deliveries_dedup_id'))
    )
    op.create_index(op.f('ix_notification_deliveries_channel_id'), 'notification_deliveries', ['channel_id'], unique=False)
    op.create_index(op.f('ix_notification_deliveries_group_key'), 'notification_deliveries', ['group_key'], unique=False)
    op.create_index(op.f('ix_notification_deliveries_not_before'), 'notification_deliveries', ['not_before'], unique=False)
    op.create_index(op.f('ix_notification_deliveries_state'), 'notification_deliveries', ['state'], unique=False)
    op.create_table('notification_rota',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('channel_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('days', sa.String(length=16), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['notification_channels.id'], name=op.f('fk_notification_rota_channel_id_notification_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_rota'))
    )
    op.create_index(op.f('ix_notification_rota_channel_id'), 'notification_rota', ['channel_id'], unique=False)
    op.create_table('notification_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('dedup_id', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('alert_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('channel_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('area_code', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('routed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_notification_events_alert_id_alerts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_events')),
    sa.UniqueConstraint('dedup_id', name=op.f('uq_notification_events_dedup_id'))
    )
    op.create_index(op.f('ix_notification_events_alert_id'), 'notification_events', ['alert_id'], unique=False)
    op.create_index(op.f('ix_notification_events_state'), 'notification_events', ['state'], unique=False)
    op.create_table('notification_delivery_alerts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('delivery_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('alert_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_notification_delivery_alerts_alert_id_alerts')),
    sa.ForeignKeyConstraint(['delivery_id'], ['notification_deliveries.id'], name=op.f('fk_notification_delivery_alerts_delivery_id_notification_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_delivery_alerts')),
    sa.UniqueConstraint('delivery_id', 'alert_id', name=op.f('uq_notification_delivery_alerts_delivery_id_alert_id'))
    )
    op.create_index(op.f('ix_notification_delivery_alerts_alert_id'), 'notification_delivery_alerts', ['alert_id'], unique=False)
    op.create_index(op.f('ix_notification_delivery_alerts_delivery_id'), 'notification_delivery_alerts', ['delivery_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_notification_events_state'), table_name='notification_events')
    op.drop_index(op.f('ix_notification_events_alert_id'), table_name='notification_events')
    op.drop_table('notification_events')
    op.drop_index(op.f('ix_notification_delivery_alerts_delivery_id'), table_name='notification_delivery_alerts')
    op.drop_index(op.f('ix_notification_delivery_alerts_alert_id'), table_name='notification_delivery_alerts')
    op.drop_table('notification_delivery_alerts')
    op.drop_index(op.f('ix_notification_rota_channel_id'), table_name='notification_rota')
    op.drop_table('notification_rota')
    op.drop_index(op.f('ix_notification_deliveries_state'), table_name='notification_deliveries')
    op.drop_index(op.f('ix_notification_deliveries_not_before'), table_name='notification_deliveries')
    op.drop_index(op.f('ix_notification_deliveries_group_key'), table_name='notification_deliveries')
    op.drop_index(op.f('ix_notification_deliveries_channel_id'), table_name='notification_deliveries')
    op.drop_table('notification_deliveries')
    op.drop_index(op.f('ix_notification_channels_area_code'), table_name='notification_channels')
    op.drop_table('notification_channels')
    op.drop_index(op.f('ix_notification_silences_ends_at'), table_name='notification_silences')
    op.drop_table('notification_silences')
