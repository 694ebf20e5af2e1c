"""Grassroots organisations at the kiosk: filing for community registration (the resident who
identifies is the leader; the slip carries the application number), following the filing, and the
list of approved organisations with what they do and how to join."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.community.errors import BAD_ORGANISATION
from backend.shared.community.messages import ORGANISATION_FILED, OrganisationFiled, OrganisationStatus
from backend.shared.errors import AppError
from backend.shared.localtime import local_date
from backend.shared.tickets.contact import ContactSealer
from backend.shared.tickets.text import clean_text, mask_phone, normal_phone

from ..db.community_models import LocalOrganisation
from ..db.session import write_transaction
from . import outbox
from .sessions import Identity

KIND_WORDS = {
    "interest": ("兴趣类", "Interest"),
    "volunteer": ("志愿服务类", "Volunteer"),
    "culture": ("文化类", "Culture"),
    "sport": ("体育类", "Sport"),
    "mutual_aid": ("互助类", "Mutual aid"),
    "other": ("其他", "Other"),
}
KEY = "idempotency_key"
STATE_WORDS = {
    "applied": ("待审核", "Waiting for review"),
    "more_info": ("需补充材料", "More information needed"),
    "approved": ("已备案", "Registered"),
    "refused": ("未通过", "Refused"),
}


def apply_organisation(session: Session, payload: dict[str, Any], *, now: datetime) -> None:
    status = OrganisationStatus.model_validate(payload)
    row = session.get(LocalOrganisation, status.id)
    if row is None:
        row = LocalOrganisation(id=status.id, leader_hash=status.leader_hash, filed_here=False)
        session.add(row)
    row.state, row.payload, row.updated_at = status.state, status.model_dump(mode="json"), now


def file(
    factory: sessionmaker[Session],
    *,
    identity: Identity,
    community_code: str,
    station_code: str,
    sealer: ContactSealer,
    name: str,
    kind: str,
    phone: str,
    members: int,
    activities: str,
    now: datetime,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """File an organisation with the identified resident as its leader; return the application.
    A retry with the same ``idempotency_key`` returns the filing it made, not a second one."""
    try:
        name, activities = clean_text(name, max_length=64), clean_text(activities, max_length=500)
        number = normal_phone(phone)
    except AppError as err:
        raise AppError(BAD_ORGANISATION, detail=err.code) from err
    if kind not in KIND_WORDS or len(name) < 2 or not 1 <= members <= 100_000:
        raise AppError(BAD_ORGANISATION, detail="kind, name or members")
    with write_transaction(factory) as session:
        if idempotency_key is not None:
            earlier = _filed_with(session, identity, idempotency_key)
            if earlier is not None:
                return earlier
        seq = (
            session.scalar(
                select(func.count())
                .select_from(LocalOrganisation)
                .where(LocalOrganisation.filed_here.is_(True))
            )
            or 0
        ) + 1
        application_no = f"ZZ-{local_date(now):%y%m%d}-{community_code}-{station_code}-{seq:04d}"
        message = OrganisationFiled(
            id=application_no,
            name=name,
            kind=kind,
            leader_hash=identity.id_hash,
            leader_name=identity.name,
            leader_id_masked=identity.id_masked,
            contact_sealed=sealer.seal({"phone": number}),
            contact_masked=mask_phone(number),
            members=members,
            activities=activities,
            filed_at=now,
        )
        status = OrganisationStatus(
            id=application_no,
            community_code=community_code,
            name=name,
            kind=kind,
            leader_hash=identity.id_hash,
            state="applied",
            members=members,
            activities=activities,
            updated_at=now,
        )
        session.add(
            LocalOrganisation(
                id=application_no,
                leader_hash=identity.id_hash,
                state="applied",
                filed_here=True,
                payload=status.model_dump(mode="json") | _key_of(idempotency_key),
                contact_sealed=message.contact_sealed,
                updated_at=now,
            )
        )
        outbox.record(
            session,
            event_type=ORGANISATION_FILED,
            aggregate_id=application_no,
            payload=message.model_dump(mode="json"),
            at=now,
        )
        return view(status.model_dump(mode="json"))


def _key_of(idempotency_key: str | None) -> dict[str, str]:
    # Kept in the filing's local copy only (the platform's status replaces it once decided).
    return {KEY: idempotency_key} if idempotency_key else {}


def _filed_with(session: Session, identity: Identity, idempotency_key: str) -> dict[str, Any] | None:
    rows = session.scalars(
        select(LocalOrganisation).where(
            LocalOrganisation.leader_hash == identity.id_hash, LocalOrganisation.filed_here.is_(True)
        )
    )
    return next((view(r.payload) for r in rows if r.payload.get(KEY) == idempotency_key), None)


def kinds() -> list[dict[str, Any]]:
    """The kinds of organisation a resident may file, in both languages."""
    return [{"code": code, "name": {"zh": zh, "en": en}} for code, (zh, en) in KIND_WORDS.items()]


def get_mine(session: Session, identity: Identity, application_no: str) -> dict[str, Any]:
    """One of the resident's filings (BAD_ORGANISATION when it is not theirs)."""
    row = session.get(LocalOrganisation, application_no)
    if row is None or row.leader_hash != identity.id_hash:
        raise AppError(BAD_ORGANISATION, detail="not found")
    return view(row.payload)


def slip_lines(shown: dict[str, Any], station_name: str) -> list[str]:
    """The filing slip's lines: the application number, what was filed, what happens next."""
    return [
        f"申请编号：{shown['id']}",
        f"组织名称：{shown['name']}",
        f"类型：{shown['kind_words']['zh']}",
        f"成员人数：{shown['members']}",
        f"日常活动：{shown['activities']}",
        f"状态：{shown['state_words']['zh']}",
        "社区将审核您的备案申请，结果可在自助机“社区组织—我的申请”查看。",
        "The community will review the filing; see it under Organisations, My applications.",
        station_name,
    ]


def approved(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(LocalOrganisation).where(LocalOrganisation.state == "approved").order_by(LocalOrganisation.id)
    )
    return [view(r.payload) for r in rows]


def mine(session: Session, identity: Identity) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(LocalOrganisation)
        .where(LocalOrganisation.leader_hash == identity.id_hash)
        .order_by(LocalOrganisation.updated_at.desc())
    )
    return [view(r.payload) for r in rows]


def view(payload: dict[str, Any]) -> dict[str, Any]:
    kind, state = KIND_WORDS.get(payload["kind"], ("", "")), STATE_WORDS.get(payload["state"], ("", ""))
    shown = {k: v for k, v in payload.items() if k not in ("leader_hash", KEY)}
    return shown | {
        "kind_words": {"zh": kind[0], "en": kind[1]},
        "state_words": {"zh": state[0], "en": state[1]},
    }
