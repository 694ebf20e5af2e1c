"""sealed channel secrets: a notification channel's address and signing secret AES-GCM sealed

A robot's URL carries its key and the secret signs what the platform sends; the API never returned
them, and now the database holds them sealed with the platform's data key too.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 07:00:00
"""

import sqlalchemy as sa
from alembic import op

from backend.shared.migrations import sealing_protector

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

channels = sa.table("notification_channels", sa.column("id", sa.BigInteger), sa.column("target", sa.String),
                    sa.column("secret", sa.String), sa.column("target_sealed", sa.LargeBinary),
                    sa.column("secret_sealed", sa.LargeBinary))


def upgrade() -> None:
    op.add_column('notification_channels', sa.Column('target_sealed', sa.LargeBinary(), nullable=True))
    op.add_column('notification_channels', sa.Column('secret_sealed', sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(channels.c.id, channels.c.target, channels.c.secret)).all()
    for row_id, target, secret in rows:
        protector = sealing_protector()
        connection.execute(channels.update().where(channels.c.id == row_id).values(
            target_sealed=protector.seal_text(target or ""),
            secret_sealed=protector.seal_text(secret) if secret else b""))
    with op.batch_alter_table('notification_channels') as batch_op:
        batch_op.alter_column('target_sealed', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.alter_column('secret_sealed', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('target')
        batch_op.drop_column('secret')


def downgrade() -> None:
    op.add_column('notification_channels', sa.Column('target', sa.String(512), nullable=True))
    op.add_column('notification_channels', sa.Column('secret', sa.String(256), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(channels.c.id, channels.c.target_sealed, channels.c.secret_sealed)).all()
    for row_id, target, secret in rows:
        protector = sealing_protector()
        connection.execute(channels.update().where(channels.c.id == row_id).values(
            target=protector.open_text(target), secret=protector.open_text(secret) if secret else ""))
    with op.batch_alter_table('notification_channels') as batch_op:
        batch_op.alter_column('target', existing_type=sa.String(512), nullable=False)
        batch_op.alter_column('secret', existing_type=sa.String(256), nullable=False)
        batch_op.drop_column('target_sealed')
        batch_op.drop_column('secret_sealed')
