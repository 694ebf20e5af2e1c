"""Rotating the leaked district key (migration 0014 + the start-up step): stored ID hashes become
their community's, contacts sealed with the old shared key are sealed again to the platform's key
and still open; done once."""

from __future__ import annotations

from sqlalchemy import select

from backend.platform.db.area_models import KeyValue
from backend.platform.db.register_models import Resident
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import rekey
from backend.shared.privacy import community_hash_key
from backend.shared.tickets.contact import legacy_seal

from .conftest import COMMUNITY, RESIDENT, apply_events, number, submitted, ticket

ZHANG = "460107195803179912"  # the demo register's 张三


def _mark_old(runtime: PlatformRuntime) -> None:
    """Put the database back to how it was before: hashes with the district key, scheme 1."""
    with write_transaction(runtime.db) as session:
        for resident in session.scalars(select(Resident)):
            resident.id_hash = f"{int(resident.id_hash, 16) ^ 1:064x}"  # rewritten below for 张三
        zhang = session.scalars(select(Resident).where(Resident.name == "张三")).one()
        zhang.id_hash = runtime.protector.lookup_hash(ZHANG)
        session.get(KeyValue, rekey.MARK).value = {"scheme": 1}  # type: ignore[union-attr]


def _finish(runtime: PlatformRuntime) -> dict[str, int] | None:
    return rekey.finish(runtime.db, community_key=lambda c: community_hash_key(runtime.hash_master, c),
                        contact=runtime.contact, now=runtime.clock.now())


def test_old_hashes_and_contacts_are_rekeyed_once_and_still_open(runtime: PlatformRuntime, station: str) -> None:
    old_contact = legacy_seal(runtime.id_hash_key, {"phone": "13800138000"})
    resident = RESIDENT | {"id_hash": runtime.protector.lookup_hash(ZHANG)}
    apply_events(runtime, [("ticket.submitted", submitted(1, contact_sealed=old_contact, resident=resident))])
    _mark_old(runtime)
    counts = _finish(runtime)
    assert counts is not None and counts["contacts_resealed"] == 1 and counts["residents"] == 12
    community_hash = runtime.community_protector(COMMUNITY).lookup_hash(ZHANG)
    with runtime.db() as session:
        zhang = session.scalars(select(Resident).where(Resident.name == "张三")).one()
        assert zhang.id_hash == community_hash  # what a station of this community computes
    rekeyed = ticket(runtime, number(1))
    assert rekeyed.resident_id_hash == community_hash
    assert rekeyed.contact_sealed and rekeyed.contact_sealed.startswith("v2.")
    assert runtime.contact.open(rekeyed.contact_sealed) == {"phone": "13800138000"}
    assert _finish(runtime) is None  # once


def test_a_fresh_platform_is_on_the_new_keys_from_the_start(runtime: PlatformRuntime) -> None:
    with runtime.db() as session:
        mark = session.get(KeyValue, rekey.MARK)
        zhang = session.scalars(select(Resident).where(Resident.name == "张三")).one()
        assert mark is not None and mark.value["scheme"] == rekey.CURRENT
        assert zhang.id_hash == runtime.community_protector(COMMUNITY).lookup_hash(ZHANG)
