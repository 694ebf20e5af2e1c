"""Tickets for a unit: the list with deadline colours (and words), one ticket with the actions the
user may take now, and the figures as charts. Every action is the staff API's own route function
(unit checks, workflow rules, audit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from backend.shared import localtime
from backend.shared.errors import VALIDATION, AppError
from backend.shared.tickets.config import TicketConfig, load_ticket_config

from ...api.deps import RuntimeDep
from ...api.routes import tickets as tickets_api
from ...runtime import PlatformRuntime
from ...services import fleet as fleet_service
from ...services import org
from .. import trends
from ..charts import bar_chart
from ..i18n import words
from ..render import ConsoleRoute, back, render
from ..search import TicketFilter, find_tickets
from ..session import ConsoleUser, UserDep, language
from ..trend_charts import trend_charts

router = APIRouter(prefix="/console/tickets", route_class=ConsoleRoute, include_in_schema=False)
STATES = ("received", "classified", "dispatched", "returned", "arbitration", "in_progress", "replied",
          "closed", "rectifying", "rated")
RATES = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate")


@router.get("", response_class=HTMLResponse)
def tickets_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The tickets the user's unit may see, newest first, with their running deadline; searched and
    filtered by the query string (so a link reproduces the view)."""
    config = load_ticket_config()
    chosen = TicketFilter.of(request.query_params)
    tickets = find_tickets(user.staff, runtime, config, chosen)
    with runtime.db() as session:
        units = org.tree_view(session, user.staff.org_code)
    return render(request, "tickets.html", user=user, section="tickets", tickets=tickets,
                  states=STATES, state=chosen.state, overdue=chosen.overdue, f=chosen, units=units,
                  categories=config.categories, stations=_station_ids(user, runtime),
                  roles=config.policy.roles)


def _station_ids(user: ConsoleUser, runtime: PlatformRuntime) -> list[str]:
    with runtime.db() as session:
        return fleet_service.visible_station_ids(session, user.visible.communities)


@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, user: UserDep, runtime: RuntimeDep,
                 by: str = Query("unit", pattern=r"^(unit|category|month)$")) -> HTMLResponse:
    """Response, resolution and satisfaction rates as charts, per unit, category or month, and the
    figures over time (a point per day) for a date range (default: the last 30 days)."""
    config = load_ticket_config()
    chosen = TicketFilter.of(request.query_params)
    since, until = figure_range(chosen, runtime, 30)
    rate_since, rate_until = (since, until) if chosen.since or chosen.until \
        else figure_range(chosen, runtime, 365)
    found = tickets_api.figures(user.staff, runtime, config, by=by,  # type: ignore[arg-type]
                                since=rate_since, until=rate_until, category=None)
    names = _group_names(runtime, config, by, [g["key"] for g in found["groups"]])
    lang = language(request)
    charts = [(rate, bar_chart([(names.get(g["key"], g["key"]), g[rate]) for g in found["groups"]],
                               title=words(lang, f"figures.{rate}"),
                               no_value=words(lang, "figures.no_value")))
              for rate in RATES]
    starts = trends.day_starts(since, until)
    now = runtime.clock.now()
    communities = list(user.visible.communities)
    with runtime.db() as session:
        area_names = {code: name["zh" if lang == "zh" else "en"]
                      for code, name in org.names(session, communities).items()}
    over_time = trend_charts(trends.daily(user, runtime, since=since, until=until), starts,
                             trends.availability(runtime, communities, starts, now),
                             trends.in_service(runtime, communities, starts, now), area_names, lang)
    query = urlencode({"by": by, "since": localtime.to_local(since).date().isoformat(),
                       "until": (localtime.to_local(until).date() - timedelta(days=1)).isoformat()})
    return render(request, "figures.html", user=user, section="figures", figures=found, by=by,
                  charts=charts, names=names, trend_charts=over_time, export_query=query,
                  since=localtime.to_local(since).date().isoformat(),
                  until=(localtime.to_local(until).date() - timedelta(days=1)).isoformat())


def figure_range(chosen: TicketFilter, runtime: PlatformRuntime,
                 default_days: int) -> tuple[datetime, datetime]:
    """[since, until) as local midnights from the filter's dates (default: the last N days to today)."""
    zone = localtime.zone()
    today = localtime.to_local(runtime.clock.now()).date()
    last = date.fromisoformat(chosen.until) if chosen.until else today
    first = date.fromisoformat(chosen.since) if chosen.since else last - timedelta(days=default_days - 1)
    first, last = min(first, last), max(first, last)
    first = max(first, last - timedelta(days=trends.MAX_DAYS - 1))
    return datetime.combine(first, time(), zone), datetime.combine(last + timedelta(days=1), time(), zone)


def _group_names(runtime: PlatformRuntime, config: TicketConfig, by: str, keys: list[str]) -> dict[str, str]:
    if by == "category":
        return {c.code: c.name.zh + " " + c.name.en for c in config.categories}
    if by == "unit":
        with runtime.db() as session:
            return {code: name["zh"] for code, name in org.names(session, keys).items()}
    return {}


@router.get("/{ticket_no}", response_class=HTMLResponse)
def ticket_page(ticket_no: str, request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """One ticket: facts, deadline, history and the forms for what the user may do now."""
    config = load_ticket_config()
    ticket = tickets_api.get_ticket(ticket_no, user.staff, runtime, config)
    with runtime.db() as session:
        units = org.tree_view(session, user.staff.org_code)
    return render(request, "ticket.html", user=user, section="tickets", ticket=ticket, units=units,
                  policy=config.policy, categories=config.categories)


# ---- actions ---------------------------------------------------------------------------------------

Fields = dict[str, Any]


def _classify(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = tickets_api.ClassifyBody(category=f["category"], grade=f["grade"], note=f["note"])
    return tickets_api.classify(t, body, u.staff, r, c)


def _dispatch(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = tickets_api.DispatchBody(unit=f["unit"], role=f["role"], note=f["note"])
    return tickets_api.dispatch(t, body, u.staff, r, c)


def _sign(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    return tickets_api.sign(t, tickets_api.NoteBody(note=f["note"]), u.staff, r, c)


def _return(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = tickets_api.ReturnBody(reason=f["reason"], note=f["note"])
    return tickets_api.return_(t, body, u.staff, r, c)


def _extension(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = tickets_api.ExtensionBody(working_days=f["working_days"] or 0, reason=f["reason"])
    return tickets_api.request_extension(t, body, u.staff, r, c)


def _approve(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    return tickets_api.approve_extension(t, tickets_api.NoteBody(note=f["note"]), u.staff, r, c)


def _reject(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    return tickets_api.reject_extension(t, tickets_api.NoteBody(note=f["note"]), u.staff, r, c)


def _reply(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    return tickets_api.reply(t, tickets_api.ReplyBody(text=f["text"]), u.staff, r, c)


def _close(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = tickets_api.CloseBody(outcome=f["outcome"], reason=f["reason"] or None, note=f["note"])
    return tickets_api.close(t, body, u.staff, r, c)


def _rate(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = tickets_api.CallbackBody(level=f["level"] or 0, reasons=f["reasons"], note=f["note"])
    return tickets_api.callback(t, body, u.staff, r, c)


ACTIONS: dict[str, Callable[[str, Fields, TicketConfig, PlatformRuntime, ConsoleUser], Any]] = {
    "classify": _classify, "dispatch": _dispatch, "sign": _sign, "return": _return,
    "request_extension": _extension, "approve_extension": _approve, "reject_extension": _reject,
    "reply": _reply, "close": _close, "rate": _rate,
}

Text = Annotated[str, Form(max_length=2000)]


@router.post("/{ticket_no}/act")
def act(ticket_no: str, user: UserDep, runtime: RuntimeDep, action: Annotated[str, Form(max_length=32)],
        note: Text = "", category: Text = "", grade: Text = "", unit: Text = "", role: Text = "",
        reason: Text = "", text: Text = "", outcome: Text = "",
        working_days: Annotated[int | None, Form()] = None, level: Annotated[int | None, Form()] = None,
        reasons: Annotated[list[str] | None, Form()] = None) -> RedirectResponse:
    """Take one workflow step on a ticket."""
    here = f"/console/tickets/{ticket_no}"
    fields: Fields = {"note": note, "category": category, "grade": grade, "unit": unit, "role": role,
                      "reason": reason, "text": text, "outcome": outcome, "working_days": working_days,
                      "level": level, "reasons": reasons or []}
    step = ACTIONS.get(action)
    try:
        if step is None:
            raise AppError(VALIDATION, detail=f"unknown action {action}")
        _validated(step, ticket_no, fields, runtime, user)
    except AppError as err:
        if err.status == 404:
            raise
        return back(here, error=err, anchor="#actions")
    return back(here, done=f"done.{action}", anchor="#actions")


def _validated(step: Callable[..., Any], ticket_no: str, fields: Fields, runtime: PlatformRuntime,
               user: ConsoleUser) -> None:
    try:
        step(ticket_no, fields, load_ticket_config(), runtime, user)
    except ValidationError as err:
        names = ", ".join(str(e["loc"][0]) for e in err.errors())
        raise AppError(VALIDATION, detail=names) from err
