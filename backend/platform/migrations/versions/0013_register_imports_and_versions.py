"""register imports awaiting confirmation, and kept register versions

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 03:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('register_imports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('encoding', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('current', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['community_code'], ['org_units.code'], name=op.f('fk_register_imports_community_code_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_imports'))
    )
    op.create_index(op.f('ix_register_imports_community_code'), 'register_imports', ['community_code'], unique=False)
    op.create_table('register_versions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('community_code', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['community_code'], ['org_units.code'], name=op.f('fk_register_versions_community_code_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_versions'))
    )
    op.create_index(op.f('ix_register_versions_community_code'), 'register_versions', ['community_code'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_register_versions_community_code'), table_name='register_versions')
    op.drop_table('register_versions')
    op.drop_index(op.f('ix_register_imports_community_code'), table_name='register_imports')
    op.drop_table('register_imports')
