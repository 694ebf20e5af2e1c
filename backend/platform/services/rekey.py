"""Finishing the rotation of the leaked district key (see migration 0014): re-key every stored
ID hash to its community's key and re-seal every legacy-sealed contact to the platform's key.

Run once, at start, before workers serve, in one transaction: it does nothing unless the database
is marked as holding values under the old key (``key_values['id_keys'].scheme == 1``). A hash is
re-keyed from the hash itself (``rekeyed_hash``), so no ID number is needed. The register is
published again under the new hashes, and the changes under the old ones are withdrawn, so a
station enrolled afresh receives only the new ones. A station enrolled before keeps the rows it
had (and hashes the old way) until it is enrolled again, which gives it its community's key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.privacy import rekeyed_hash
from backend.shared.protocol import ChangeKind
from backend.shared.tickets.contact import ContactOpener, SealError

from ..db.area_models import ChangeRecord, KeyValue
from ..db.register_models import RegisterImport, RegisterVersion, Resident
from ..db.session import write_transaction
from ..db.ticket_models import Ticket
from . import changes, register

log = logging.getLogger(__name__)
MARK = "id_keys"
CURRENT = 2


def finish(factory: sessionmaker[Session], *, community_key: Callable[[str], bytes],
           contact: ContactOpener, now: datetime) -> dict[str, int] | None:
    """Re-key and re-seal what the database holds under the old key; None if nothing was due."""
    with write_transaction(factory) as session:
        mark = session.get(KeyValue, MARK)
        if mark is None or mark.value.get("scheme") == CURRENT:
            return None
        keys: dict[str, bytes] = {}

        def rehash(community_code: str, old: str) -> str:
            if community_code not in keys:
                keys[community_code] = community_key(community_code)
            return rekeyed_hash(keys[community_code], old)

        counts = {"residents": _residents(session, rehash, now),
                  "register_rows": _kept_rows(session, rehash),
                  **_tickets(session, rehash, contact)}
        mark.value = {"scheme": CURRENT, "rekeyed_at": now.isoformat(), **counts}
    log.info("the district key is rotated out: %s", counts)
    return counts


def _residents(session: Session, rehash: Callable[[str, str], str], now: datetime) -> int:
    residents = list(session.scalars(select(Resident)))
    for resident in residents:
        old = resident.id_hash
        session.execute(delete(ChangeRecord).where(
            ChangeRecord.kind == ChangeKind.REGISTER.value,
            ChangeRecord.scope == changes.community_scope(resident.community_code), ChangeRecord.key == old))
        resident.id_hash = rehash(resident.community_code, old)
    session.flush()
    for resident in residents:
        register.publish_entry(session, resident, now)
    return len(residents)


def _kept_rows(session: Session, rehash: Callable[[str, str], str]) -> int:
    count = 0
    for kept in [*session.scalars(select(RegisterImport)), *session.scalars(select(RegisterVersion))]:
        kept.rows = [_rehashed_row(row, kept.community_code, rehash) for row in kept.rows]
        count += len(kept.rows)
    return count


Rehash = Callable[[str, str], str]  # (community code, old hash) -> the community's hash


def _rehashed_row(row: dict[str, Any], community_code: str, rehash: Rehash) -> dict[str, Any]:
    return {**row, "id_hash": rehash(community_code, str(row["id_hash"]))}


def _tickets(session: Session, rehash: Callable[[str, str], str], contact: ContactOpener) -> dict[str, int]:
    resealed = unopenable = 0
    for ticket in session.scalars(select(Ticket)):
        if ticket.resident_id_hash:
            ticket.resident_id_hash = rehash(ticket.community_code, ticket.resident_id_hash)
        if ticket.contact_sealed and not contact.is_current(ticket.contact_sealed):
            try:
                ticket.contact_sealed = contact.seal(contact.open(ticket.contact_sealed))
                resealed += 1
            except SealError:  # sealed with a key the platform never had (a station not enrolled)
                unopenable += 1
    return {"contacts_resealed": resealed, "contacts_unopenable": unopenable}
