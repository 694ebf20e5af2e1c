"""The visit's state for the test-automation hook (``GET /state``): no names, no ID numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .flow import KioskFlow


def snapshot(flow: KioskFlow) -> dict[str, Any]:
    """The state for the test-automation hook: no names, no ID numbers."""
    state = flow.state
    return {
        "step": state.step.value, "busy": state.busy, "connected": state.connected,
        "paused": state.paused,
        "has_session": state.session_id is not None, "identified": state.identity is not None,
        "type_code": state.cert_type.code if state.cert_type else None, "purpose": state.purpose,
        "serial": state.certificate.serial if state.certificate else None,
        "certificate_state": state.certificate.state if state.certificate else None,
        "problem": state.problem.code if state.problem else None,
        "verdict": state.verification.verdict if state.verification else None,
        "scan_problem": state.scan_problem,
        "elderly": state.elderly, "muted": state.muted, "service": state.service,
        "scan_error": state.scan_error.en if state.scan_error else None,
        "outcomes": [o.state for o in state.outcomes], "fields": sorted(state.fields),
        "field_problem": state.field_problem,
        "application": state.application.state if state.application else None,
        "phone_link": (state.phone_link.reason or "available") if state.phone_link else None,
        "pickup_problem": state.pickup_problem.en if state.pickup_problem else None,
        "request": _request_snapshot(flow), "ticket_no": _ticket_no(flow),
        "need": _need_snapshot(flow),
        "rating": {"level": state.rating.level, "reasons": list(state.rating.reasons),
                   "done": state.rating.done,
                   "target": state.rating.target.kind if state.rating.target else None},
        "card_on_reader": state.card_on_reader, "card_left": state.card_left,
        "maintenance": state.maintenance is not None,
        "dialog": state.dialog.code if state.dialog else None,
        "entry": state.entry.kind.value if state.entry else None,
        "idle_remaining": flow.timers.idle_remaining(), "auto_remaining": flow.timers.auto_remaining(),
        "done_remaining": flow.timers.done_remaining(),
    }


def _request_snapshot(flow: KioskFlow) -> dict[str, Any]:
    draft = flow.state.request
    return {"category": draft.category.code if draft.category else None, "anonymous": draft.anonymous,
            "place": [draft.place_kind, draft.building, draft.unit, draft.landmark],
            "phrases": list(draft.phrases), "has_text": bool(draft.text),
            "photo": draft.photo is not None, "preview": draft.preview is not None,
            "photo_problem": draft.photo_problem, "has_phone": bool(draft.phone),
            "confidential": draft.confidential, "slip_printed": draft.slip_printed,
            "sent": draft.ticket.sent if draft.ticket else None}


def _need_snapshot(flow: KioskFlow) -> dict[str, Any]:
    need = flow.state.volunteer.need
    return {"kind": need.kind, "urgency": need.urgency, "has_phone": bool(need.phone),
            "phrases": list(need.phrases), "need_no": need.registered.need_no if need.registered else None}


def _ticket_no(flow: KioskFlow) -> str | None:
    ticket = flow.state.request.ticket or flow.state.progress.ticket
    return ticket.ticket_no if ticket else None
