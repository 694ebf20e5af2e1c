"""The platform's volunteer and emergency changes at the station (listed in ``sync.appliers``):
the community's volunteers, each building's neighbour group, emergency areas and needs' status."""

from __future__ import annotations

import logging

from pydantic import ValidationError

from backend.shared.protocol import Change
from backend.shared.volunteers.messages import (
    EMERGENCY,
    NEED,
    NEIGHBOUR_GROUP,
    VOLUNTEER,
    EmergencyArea,
    NeedStatus,
    NeighbourGroup,
    VolunteerEntry,
)

from ..db.volunteer_models import LocalVolunteer
from ..services import emergency_desk
from .applier_core import ApplyContext, Effect, Table

log = logging.getLogger(__name__)


def volunteer(ctx: ApplyContext, change: Change) -> Effect | None:
    try:
        entry = VolunteerEntry.model_validate(change.payload)
    except ValidationError:
        log.warning("ignored a volunteer entry that is not valid")
        return None
    row = ctx.session.get(LocalVolunteer, entry.id_hash)
    if row is None:
        ctx.session.add(LocalVolunteer(id_hash=entry.id_hash, entry=entry.model_dump(), updated_at=ctx.now))
    else:
        row.entry, row.updated_at = entry.model_dump(), ctx.now
    return None


def _keep(
    ctx: ApplyContext, change: Change, kind: str, model: type[EmergencyArea | NeedStatus | NeighbourGroup]
) -> None:
    try:
        model.model_validate(change.payload)
    except ValidationError:  # one malformed change must not stop the later ones
        log.warning("ignored a %s change that is not valid: %s", kind, change.key[:40])
        return
    emergency_desk.put_doc(ctx.session, kind, change.key, change.payload, ctx.now)


def neighbour_group(ctx: ApplyContext, change: Change) -> Effect | None:
    _keep(ctx, change, emergency_desk.GROUP, NeighbourGroup)
    return None


def emergency(ctx: ApplyContext, change: Change) -> Effect | None:
    _keep(ctx, change, emergency_desk.EMERGENCY, EmergencyArea)
    return None


def need(ctx: ApplyContext, change: Change) -> Effect | None:
    _keep(ctx, change, emergency_desk.NEED, NeedStatus)
    return None


APPLIERS: Table = {
    VOLUNTEER: volunteer,
    NEIGHBOUR_GROUP: neighbour_group,
    EMERGENCY: emergency,
    NEED: need,
}
