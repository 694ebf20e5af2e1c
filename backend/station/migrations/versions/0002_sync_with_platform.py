"""sync with the platform: cursor and state, commands, notices, revocations; residents from the
platform's register have no ciphertext

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sync_state'))
    )
    op.create_table('platform_commands',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('ok', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_commands'))
    )
    with op.batch_alter_table('platform_commands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_commands_finished_at'), ['finished_at'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    op.create_table('revocations',
    sa.Column('issuer', sa.String(length=64), nullable=False),
    sa.Column('serial', sa.String(length=32), nullable=False),
    sa.Column('identifier', sa.String(length=128), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('issuer', 'serial', name=op.f('pk_revocations'))
    )
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.alter_column('id_cipher', existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.alter_column('id_cipher', existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table('revocations')
    op.drop_table('notices')
    with op.batch_alter_table('platform_commands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_commands_finished_at'))
    op.drop_table('platform_commands')
    op.drop_table('sync_state')
