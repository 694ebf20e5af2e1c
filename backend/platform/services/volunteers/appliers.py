"""Station events of volunteers and emergency mode, applied once each (registered with the
platform's applier registry): duties with their hours, needs (routed at once), check-ins.
A station may report only its own community's volunteers and its own numbers."""

from __future__ import annotations

from backend.shared.protocol import OutboxEventIn
from backend.shared.volunteers.config import load_volunteer_config
from backend.shared.volunteers.messages import (
    DUTY_ENDED,
    DUTY_STARTED,
    GROUP_CHECKED_IN,
    NEED_REGISTERED,
    CheckedIn,
    DutyEvent,
    NeedRegistered,
)

from ...db.volunteer_models import EmergencyCheckin, EmergencyMode, EmergencyNeed, Volunteer, VolunteerDuty
from ..applier_registry import Appliers, ApplyContext, Rejected, parsed_payload
from . import hours, needs
from .register import by_hash


def _volunteer(ctx: ApplyContext, id_hash: str) -> Volunteer:
    volunteer = by_hash(ctx.session, ctx.station.community_code, id_hash)
    if volunteer is None:
        raise Rejected("not a volunteer of this station's community")
    return volunteer


def _mode(ctx: ApplyContext, mode_id: str) -> EmergencyMode:
    mode = ctx.session.get(EmergencyMode, mode_id)
    if mode is None or mode.community_code != ctx.station.community_code:
        raise Rejected("no such emergency in this station's community")
    return mode


def duty(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(DutyEvent, event)
    existing = ctx.session.get(VolunteerDuty, message.id)
    if existing is not None and existing.station_id != ctx.station.id:
        raise Rejected("duty belongs to another station")
    if load_volunteer_config().duty(message.kind) is None:
        raise Rejected("unknown duty kind")
    hours.record_duty(
        ctx.session,
        station_id=ctx.station.id,
        community_code=ctx.station.community_code,
        volunteer=_volunteer(ctx, message.volunteer_hash),
        event=message,
    )


def need_registered(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(NeedRegistered, event)
    existing = ctx.session.get(EmergencyNeed, message.need_no)
    if existing is not None:
        if existing.station_id != ctx.station.id:
            raise Rejected("need number belongs to another station")
        return  # delivered before under another seq
    if message.need_no.split("-")[2:3] != [ctx.station.station_code]:
        raise Rejected("need number not of this station")
    config = load_volunteer_config()
    if config.need(message.kind) is None or config.urgency(message.urgency) is None:
        raise Rejected("unknown kind of need or urgency")
    _mode(ctx, message.mode_id)  # registered offline, maybe after the mode ended: kept all the same
    need = needs.file_need(
        ctx.session,
        station_id=ctx.station.id,
        community_code=ctx.station.community_code,
        message=message,
        config=config,
        now=ctx.now,
    )
    ctx.notes.append(
        {
            "type": "need.new",
            "need_no": need.need_no,
            "community": need.community_code,
            "building": need.building,
            "urgency": need.urgency,
        }
    )


def checked_in(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(CheckedIn, event)
    if ctx.session.get(EmergencyCheckin, message.id) is not None:
        return
    if load_volunteer_config().group(message.task_group) is None:
        raise Rejected("unknown task group")
    volunteer = _volunteer(ctx, message.volunteer_hash)
    _mode(ctx, message.mode_id)
    ctx.session.add(
        EmergencyCheckin(
            id=message.id,
            mode_id=message.mode_id,
            volunteer_id=volunteer.id,
            station_id=ctx.station.id,
            task_group=message.task_group,
            at=message.at,
        )
    )


APPLIERS = Appliers({
    DUTY_STARTED: duty,
    DUTY_ENDED: duty,
    NEED_REGISTERED: need_registered,
    GROUP_CHECKED_IN: checked_in,
})
