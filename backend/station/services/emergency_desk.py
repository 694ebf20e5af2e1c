"""Emergency mode at the kiosk: the areas the platform switched on (for the banner and the
emergency home screen), a household's need registered offline-first (numbered here, phone sealed
to the platform, written with its ``need.registered`` event in one transaction), its status as
the platform publishes it (已接单, 已送达), a volunteer's check-in to a task group, and the
neighbour group of the resident's building."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared import localtime
from backend.shared.errors import AppError, define
from backend.shared.tickets.contact import ContactSealer
from backend.shared.tickets.text import mask_phone, normal_phone
from backend.shared.volunteers.config import LEVEL_WORDS, VolunteerConfig
from backend.shared.volunteers.messages import (
    GROUP_CHECKED_IN,
    NEED_REGISTERED,
    CheckedIn,
    EmergencyArea,
    NeedRegistered,
    NeedStatus,
    NeighbourGroup,
)

from ..db.models import Resident
from ..db.session import write_transaction
from ..db.volunteer_models import LocalCheckin, LocalNeed, NeedCounter, PublishedDoc
from . import outbox
from .sessions import Identity
from .volunteers import volunteer_of

NOT_IN_EMERGENCY = define(
    "emergency.not_active",
    409,
    "您所在的楼栋当前不在应急状态。",
    "Your building is not in emergency mode now.",
)
NO_HOUSEHOLD = define(
    "need.no_household",
    409,
    "名册中没有您的住址，请拨打求助热线。",
    "Your address is not in the register; please call the hotline.",
)
BAD_NEED = define("need.bad_kind", 422, "没有这种需求类型或紧急程度。", "No such kind of need or urgency.")
IDEMPOTENCY_CONFLICT = define(
    "need.idempotency_conflict",
    409,
    "同一编号的登记内容不同。",
    "A different need was registered under the same key.",
)
GROUP, EMERGENCY, NEED = "group", "emergency", "need"
STATE_WORDS = {
    "open": ("待接单", "Waiting to be taken"),
    "taken": ("已接单", "Taken"),
    "delivered": ("已送达", "Delivered"),
    "cancelled": ("已取消", "Cancelled"),
}


def put_doc(session: Session, kind: str, key: str, payload: dict[str, Any], now: datetime) -> None:
    """Keep what the platform published (a change applier's work)."""
    row = session.get(PublishedDoc, (kind, key))
    if row is None:
        session.add(PublishedDoc(kind=kind, key=key, payload=payload, updated_at=now))
    else:
        row.payload, row.updated_at = payload, now


def _docs(session: Session, kind: str) -> list[PublishedDoc]:
    return list(session.scalars(select(PublishedDoc).where(PublishedDoc.kind == kind)))


def active_areas(session: Session) -> list[EmergencyArea]:
    areas = []
    for row in _docs(session, EMERGENCY):
        try:
            area = EmergencyArea.model_validate(row.payload)
        except ValidationError:
            continue
        if area.active:
            areas.append(area)
    return sorted(areas, key=lambda a: a.started_at)


def area_for(session: Session, building: str) -> EmergencyArea | None:
    """The active emergency that covers a building (a whole-community one covers every building)."""
    return next((a for a in active_areas(session) if not a.buildings or building in a.buildings), None)


def resident_place(session: Session, identity: Identity) -> Resident | None:
    return session.scalar(select(Resident).where(Resident.id_hash == identity.id_hash))


def group_for(session: Session, building: str) -> NeighbourGroup | None:
    row = session.get(PublishedDoc, (GROUP, f"building:{building}"))
    if row is None:
        return None
    group = NeighbourGroup.model_validate(row.payload)
    return group if group.active and group.qr_text else None


@dataclass(frozen=True)
class NeedDraft:
    kind: str
    urgency: str
    phone: str
    idempotency_key: str
    phrases: tuple[str, ...] = ()

    def fingerprint(self, owner: str) -> str:
        return hashlib.sha256(
            "|".join([self.kind, self.urgency, self.phone, owner, *self.phrases]).encode()
        ).hexdigest()


def register_need(
    factory: sessionmaker[Session],
    *,
    identity: Identity,
    draft: NeedDraft,
    sealer: ContactSealer,
    station_code: str,
    config: VolunteerConfig,
    now: datetime,
) -> LocalNeed:
    """Register a household's need (idempotent by the draft's key); works with the platform away."""
    if config.need(draft.kind) is None or config.urgency(draft.urgency) is None:
        raise AppError(BAD_NEED, detail=f"{draft.kind[:32]}/{draft.urgency[:16]}")
    phone = normal_phone(draft.phone)
    with write_transaction(factory) as session:
        existing = session.scalar(select(LocalNeed).where(LocalNeed.idempotency_key == draft.idempotency_key))
        if existing is not None:
            if existing.owner_hash != identity.id_hash or existing.kind != draft.kind:
                raise AppError(IDEMPOTENCY_CONFLICT)
            return existing
        resident = resident_place(session, identity)
        if resident is None:
            raise AppError(NO_HOUSEHOLD)
        area = area_for(session, resident.building)
        if area is None:
            raise AppError(NOT_IN_EMERGENCY)
        need = LocalNeed(
            need_no=_next_number(session, station_code, now),
            idempotency_key=draft.idempotency_key,
            mode_id=area.id,
            owner_hash=identity.id_hash,
            kind=draft.kind,
            urgency=draft.urgency,
            building=resident.building,
            unit=resident.unit,
            phone_sealed=sealer.seal({"phone": phone}),
            phone_masked=mask_phone(phone),
            submitted_at=now,
        )
        session.add(need)
        message = NeedRegistered(
            need_no=need.need_no,
            mode_id=area.id,
            kind=need.kind,
            urgency=need.urgency,
            building=need.building,
            unit=need.unit,
            household=resident.household,
            phrases=list(draft.phrases),
            owner_hash=identity.id_hash,
            name=identity.name,
            id_masked=identity.id_masked,
            contact_sealed=need.phone_sealed,
            phone_masked=need.phone_masked,
            submitted_at=now,
        )
        outbox.record(
            session,
            event_type=NEED_REGISTERED,
            aggregate_id=need.need_no,
            payload=message.model_dump(mode="json"),
            at=now,
        )
        return need


def _next_number(session: Session, station_code: str, now: datetime) -> str:
    day = localtime.local_date(now).strftime("%Y%m%d")
    counter = session.get(NeedCounter, day)
    if counter is None:
        counter = NeedCounter(day=day, value=0)
        session.add(counter)
    counter.value += 1
    return f"XQ-{day[2:]}-{station_code}-{counter.value:04d}"


def need_view(session: Session, need: LocalNeed, config: VolunteerConfig, *, sent: bool) -> dict[str, Any]:
    """A need as the kiosk shows it: its words, and the platform's status once it came back."""
    row = session.get(PublishedDoc, (NEED, need.need_no))
    status = NeedStatus.model_validate(row.payload) if row is not None else None
    state = status.state if status else "open"
    kind, urgency = config.need(need.kind), config.urgency(need.urgency)
    return {
        "need_no": need.need_no,
        "kind": need.kind,
        "kind_name": kind.as_dict() if kind else {},
        "urgency": need.urgency,
        "urgency_name": urgency.as_dict() if urgency else {},
        "building": need.building,
        "unit": need.unit,
        "phone_masked": need.phone_masked,
        "submitted_at": need.submitted_at.isoformat(),
        "sent": sent or status is not None,
        "state": state,
        "state_words": dict(zip(("zh", "en"), STATE_WORDS[state], strict=True)),
        "level": status.level if status else "",
        "level_words": dict(zip(("zh", "en"), LEVEL_WORDS[status.level], strict=True)) if status else {},
        "history": status.history if status else [],
    }


def needs_of(session: Session, owner_hash: str) -> list[LocalNeed]:
    return list(
        session.scalars(
            select(LocalNeed)
            .where(LocalNeed.owner_hash == owner_hash)
            .order_by(LocalNeed.submitted_at.desc())
            .limit(20)
        )
    )


def check_in(
    factory: sessionmaker[Session], *, identity: Identity, group: str, config: VolunteerConfig, now: datetime
) -> tuple[LocalCheckin, str]:
    """Check the identified volunteer in to the command structure of the active emergency; the task
    group is the one asked for, else the volunteer's own, else 物资保障组. Return it and the area."""
    with write_transaction(factory) as session:
        entry = volunteer_of(session, identity)
        areas = active_areas(session)
        if not areas:
            raise AppError(NOT_IN_EMERGENCY)
        chosen = group or entry.task_group or config.task_groups[0].code
        if config.group(chosen) is None:
            raise AppError(BAD_NEED, detail=chosen[:32])
        area = next(
            (
                a
                for a in areas
                if not a.buildings
                or (entry.compound and any(lead.building in a.buildings for lead in entry.leads))
            ),
            areas[0],
        )
        checkin = LocalCheckin(
            id=str(uuid.uuid4()), volunteer_hash=identity.id_hash, mode_id=area.id, task_group=chosen, at=now
        )
        session.add(checkin)
        outbox.record(
            session,
            event_type=GROUP_CHECKED_IN,
            aggregate_id=checkin.id,
            at=now,
            payload=CheckedIn(
                id=checkin.id, volunteer_hash=identity.id_hash, mode_id=area.id, task_group=chosen, at=now
            ).model_dump(mode="json"),
        )
        return checkin, area.area_name.get("zh", "")
