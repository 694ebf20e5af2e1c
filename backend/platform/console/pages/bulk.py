"""Bulk actions on tickets (classify, assign to a unit) and alerts (acknowledge, assign): the
first post shows what will happen to which items and asks to confirm; the second does it, one
item at a time through the staff API's own route functions (their checks, their audit entries),
and says per item what became of it — one refusal does not stop the others."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from backend.shared.errors import VALIDATION, AppError
from backend.shared.tickets.config import load_ticket_config

from ...api.deps import RuntimeDep
from ...api.routes import alerts as alerts_api
from ...api.routes import ticket_actions
from ...services import org
from ..render import ConsoleRoute, render
from ..session import UserDep

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
MAX_ITEMS = 100
Short = Annotated[str, Form(max_length=64)]
Items = Annotated[list[str] | None, Form(max_length=MAX_ITEMS)]
Back = Annotated[str, Form(max_length=512)]


def _back(target: str, default: str) -> str:
    return target if target.startswith(default) and "//" not in target else default


def _ticket_plan(lang_pick: Any, action: str, category: str, grade: str, unit: str, role: str,
                 runtime: Any, user: Any) -> dict[str, Any]:
    """What the confirmation says: the action and its values in words."""
    config = load_ticket_config()
    if action == "classify":
        kind = config.category(category)
        if kind is None or grade not in config.policy.grades:
            raise AppError(VALIDATION, detail="category, grade")
        return {"action": action, "values": {"category": lang_pick(kind.name.as_dict()),
                                             "grade": lang_pick(config.policy.grades[grade].as_dict())}}
    if action == "dispatch":
        with runtime.db() as session:
            names = org.names(session, [unit])
        if unit not in names or role not in config.policy.roles:
            raise AppError(VALIDATION, detail="unit, role")
        return {"action": action, "values": {"unit": lang_pick(names[unit]),
                                             "role": lang_pick(config.policy.roles[role].as_dict())}}
    raise AppError(VALIDATION, detail="action")


@router.post("/tickets/bulk", response_class=HTMLResponse)
def tickets_bulk(request: Request, user: UserDep, runtime: RuntimeDep, action: Short,
                 ticket: Items = None, category: Short = "", grade: Short = "", unit: Short = "",
                 role: Short = "", back_to: Back = "", confirmed: Short = "") -> HTMLResponse:
    """Confirm, then classify or assign the chosen tickets."""
    back_to = _back(back_to, "/console/tickets")
    chosen = list(dict.fromkeys(ticket or []))
    lang = "en" if request.cookies.get("kc_lang") == "en" else "zh"

    def pick(pair: dict[str, str]) -> str:
        return pair.get(lang) or pair.get("zh") or ""

    fields = {"action": action, "category": category, "grade": grade, "unit": unit, "role": role}
    if not chosen:
        return render(request, "bulk.html", user=user, section="tickets", stage="empty", kind="tickets",
                      back_to=back_to, items=[], plan=None, fields=fields, results=[])
    plan = _ticket_plan(pick, action, category, grade, unit, role, runtime, user)
    if confirmed != "yes":
        return render(request, "bulk.html", user=user, section="tickets", stage="confirm", kind="tickets",
                      back_to=back_to, items=chosen, plan=plan, fields=fields, results=[])
    config = load_ticket_config()
    results: list[tuple[str, str | None]] = []
    for number in chosen:
        try:
            if action == "classify":
                ticket_actions.classify(number, ticket_actions.ClassifyBody(category=category, grade=grade),
                                     user.staff, runtime, config)
            else:
                ticket_actions.dispatch(number, ticket_actions.DispatchBody(unit=unit, role=role), user.staff,
                                     runtime, config)
            results.append((number, None))
        except (AppError, ValidationError) as err:
            results.append((number, err.code if isinstance(err, AppError) else VALIDATION))
    return render(request, "bulk.html", user=user, section="tickets", stage="done", kind="tickets",
                  back_to=back_to, items=chosen, plan=plan, fields=fields, results=results)


@router.post("/alerts/bulk", response_class=HTMLResponse)
def alerts_bulk(request: Request, user: UserDep, runtime: RuntimeDep, action: Short,
                alert: Items = None, to: Short = "", back_to: Back = "",
                confirmed: Short = "") -> HTMLResponse:
    """Confirm, then acknowledge or assign the chosen alerts."""
    back_to = _back(back_to, "/console/alerts")
    chosen = [a for a in dict.fromkeys(alert or []) if a.isdigit()]
    fields = {"action": action, "to": to.strip()}
    if action not in ("acknowledge", "assign") or (action == "assign" and not to.strip()):
        raise AppError(VALIDATION, detail="to" if action == "assign" else "action")
    plan = {"action": action, "values": {"to": to.strip()} if action == "assign" else {}}
    stage = "empty" if not chosen else "confirm" if confirmed != "yes" else "done"
    results: list[tuple[str, str | None]] = []
    if stage == "done":
        for alert_id in chosen:
            try:
                if action == "acknowledge":
                    alerts_api.acknowledge(int(alert_id), user.visible, runtime)
                else:
                    alerts_api.assign(int(alert_id), alerts_api.AssignBody(to=to.strip()), user.visible,
                                      runtime)
                results.append((alert_id, None))
            except AppError as err:
                results.append((alert_id, err.code))
    return render(request, "bulk.html", user=user, section="alerts", stage=stage, kind="alerts",
                  back_to=back_to, items=chosen, plan=plan, fields=fields, results=results)
