"""station state: the digest of the last heartbeat and when history was last written

Revision ID: 0012
Revises: 0003
Create Date: 2026-12-04 02:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('station_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('history_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('station_states', schema=None) as batch_op:
        batch_op.drop_column('history_at')
        batch_op.drop_column('digest')
