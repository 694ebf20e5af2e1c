"""rotate the leaked district key: mark stored ID hashes and sealed contacts for re-keying

Every station received the platform's ID-hash key at enrolment, and contacts were sealed with a
key derived from it, so any kiosk could open any sealed contact here and hash residents of any
community. Hashes are now per community (an outer HMAC with a key derived from a master key that
never leaves the platform) and contacts are sealed to the platform's X25519 key.

This migration only marks the database as holding values under the leaked key (``key_values``
row ``id_keys``, scheme 1). The platform finishes the rotation at its next start, before any
worker serves (``backend.platform.services.rekey.finish``), because the new keys live in its data
folder, which a migration run on its own (``kiosk db upgrade``, alembic) does not see. That step
runs in one transaction: each stored hash becomes HMAC(community key, old hash) — computable from
the hash alone, so no ID number is needed — and each legacy-sealed contact is opened with the old
key and sealed again to the platform's key; the scheme becomes 2. Until it has run (or if it
failed and rolled back), legacy-sealed contacts still open on the platform, which keeps the old key
for that purpose only. Downgrading removes the mark; re-keyed values stay re-keyed.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_KEY_VALUES = sa.table('key_values', sa.column('key', sa.String), sa.column('value', sa.JSON))


def upgrade() -> None:
    op.execute(sa.delete(_KEY_VALUES).where(_KEY_VALUES.c.key == 'id_keys'))
    op.execute(sa.insert(_KEY_VALUES).values(key='id_keys', value={'scheme': 1}))


def downgrade() -> None:
    op.execute(sa.delete(_KEY_VALUES).where(_KEY_VALUES.c.key == 'id_keys'))
