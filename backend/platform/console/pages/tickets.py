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
from ...api.routes import ticket_actions, ticket_reads
from ...db.ticket_models import Ticket
from ...runtime import PlatformRuntime
from ...services import fleet_service, org
from ...services.tickets.access import Actor, coordinates
from ...services.tickets.tree import TicketTree
from .. import trends
from ..charts import bar_chart
from ..i18n import words
from ..render import ConsoleRoute, FieldProblem, back, field_problem, render
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
    filtered by the query string (so a link reproduces the view); the rows follow the staff stream
    (a ticket filed at a kiosk appears without a reload)."""
    config = load_ticket_config()
    chosen = TicketFilter.of(request.query_params)
    with runtime.db() as session:
        units = org.tree_view(session, user.staff.org_code)
    return render(request, "tickets.html", user=user, section="tickets",
                  tickets=find_tickets(user.staff, runtime, config, chosen), states=STATES,
                  state=chosen.state, overdue=chosen.overdue, f=chosen, units=units,
                  categories=config.categories, stations=_station_ids(user, runtime),
                  roles=config.policy.roles, rows_src="/console/tickets/rows?" + chosen.query())


@router.get("/rows", response_class=HTMLResponse)
def ticket_rows(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The list's rows alone, for live updates (the same search as the page)."""
    chosen = TicketFilter.of(request.query_params)
    return render(request, "_ticket_rows.html", user=user, f=chosen,
                  tickets=find_tickets(user.staff, runtime, load_ticket_config(), chosen))


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
    found = ticket_reads.figures(user.staff, runtime, config, by=by,  # type: ignore[arg-type]
                                since=rate_since, until=rate_until, category=None)
    lang = language(request)
    names = _group_names(runtime, config, by, [g["key"] for g in found["groups"]], lang)
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


def _group_names(runtime: PlatformRuntime, config: TicketConfig, by: str, keys: list[str],
                 lang: str = "zh") -> dict[str, str]:
    if by == "unit":
        with runtime.db() as session:
            found = org.names(session, keys)
        names = {code: name["en" if lang == "en" else "zh"] for code, name in found.items()}
        return names | {"unassigned": words(lang, "figures.unassigned")}
    if by == "category":
        return {c.code: c.name.en if lang == "en" else c.name.zh for c in config.categories}
    return {}


@router.get("/{ticket_no}", response_class=HTMLResponse)
def ticket_page(ticket_no: str, request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """One ticket: facts, deadline, history, likely duplicates and the forms for what the user may
    do now."""
    return _ticket_page(ticket_no, request, user, runtime)


def _ticket_page(ticket_no: str, request: Request, user: ConsoleUser, runtime: PlatformRuntime, *,
                 contact: str | None = None) -> HTMLResponse:
    config = load_ticket_config()
    ticket = ticket_reads.get_ticket(ticket_no, user.staff, runtime, config)
    duplicates = ticket_reads.duplicates(ticket_no, user.staff, runtime, config)
    with runtime.db() as session:
        units = org.tree_view(session, user.staff.org_code)
        coordinator = _coordinates(session, user, ticket_no)
    return render(request, "ticket.html", user=user, section="tickets", ticket=ticket, units=units,
                  policy=config.policy, categories=config.categories, offered=offered_actions(ticket, config),
                  duplicates=duplicates, may_link=coordinator, may_reveal=coordinator and _has_phone(ticket),
                  contact=contact)


def offered_actions(ticket: dict[str, Any], config: TicketConfig) -> list[str]:
    """The actions worth offering now: the workflow allows them, and they can apply (a decision on
    an extension only while one is pending; asking for one only while none is, and fewer than the
    policy's maximum were granted)."""
    pending = bool(ticket.get("extension"))
    spent = int(ticket.get("extensions_granted") or 0) >= config.policy.extension.max_times
    offered = []
    for action in ticket["allowed_actions"]:
        if action in ("approve_extension", "reject_extension") and not pending:
            continue
        if action == "request_extension" and (pending or spent):
            continue
        offered.append(action)
    return offered


def _coordinates(session: Any, user: ConsoleUser, ticket_no: str) -> bool:
    """Whether the user's unit coordinates the ticket: may see the resident's phone and link
    duplicates (the API's own rule)."""
    ticket = session.get(Ticket, ticket_no)
    tree = TicketTree(session)
    return ticket is not None and coordinates(Actor.of_staff(user.staff, tree), ticket, tree)


def _has_phone(ticket: dict[str, Any]) -> bool:
    resident = ticket.get("resident") or {}
    return bool(resident.get("phone_masked")) and not resident.get("anonymous") and not resident.get("hidden")


@router.post("/{ticket_no}/contact", response_class=HTMLResponse)
def reveal_contact(ticket_no: str, request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """Show the resident's full phone number to call back: the staff API's reveal (coordinating
    units only, audited). The number is on this page only, never in an address."""
    try:
        found = ticket_reads.contact(ticket_no, user.staff, runtime)
    except AppError as err:
        if err.status == 404:
            raise
        return back(f"/console/tickets/{ticket_no}", error=err)  # type: ignore[return-value]
    opened = found.get("contact") or {}
    phone = str(opened.get("phone", "")) if isinstance(opened, dict) else str(opened)
    return _ticket_page(ticket_no, request, user, runtime, contact=phone)


# ---- actions ---------------------------------------------------------------------------------------

Fields = dict[str, Any]


def _classify(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = ticket_actions.ClassifyBody(category=f["category"], grade=f["grade"], note=f["note"])
    return ticket_actions.classify(t, body, u.staff, r, c)


def _dispatch(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = ticket_actions.DispatchBody(unit=f["unit"], role=f["role"], note=f["note"])
    return ticket_actions.dispatch(t, body, u.staff, r, c)


def _sign(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    return ticket_actions.sign(t, ticket_actions.NoteBody(note=f["note"]), u.staff, r, c)


def _return(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = ticket_actions.ReturnBody(reason=f["reason"], note=f["note"])
    return ticket_actions.return_(t, body, u.staff, r, c)


def _extension(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = ticket_actions.ExtensionBody(working_days=f["working_days"] or 0, reason=f["reason"])
    return ticket_actions.request_extension(t, body, u.staff, r, c)


def _approve(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    return ticket_actions.approve_extension(t, ticket_actions.NoteBody(note=f["note"]), u.staff, r, c)


def _reject(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    return ticket_actions.reject_extension(t, ticket_actions.NoteBody(note=f["note"]), u.staff, r, c)


def _reply(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    return ticket_actions.reply(t, ticket_actions.ReplyBody(text=f["text"]), u.staff, r, c)


def _close(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = ticket_actions.CloseBody(outcome=f["outcome"], reason=f["reason"] or None, note=f["note"])
    return ticket_actions.close(t, body, u.staff, r, c)


def _rate(t: str, f: Fields, c: TicketConfig, r: PlatformRuntime, u: ConsoleUser) -> Any:
    body = ticket_actions.CallbackBody(level=f["level"] or 0, reasons=f["reasons"], note=f["note"])
    return ticket_actions.callback(t, body, u.staff, r, c)


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
    fields: Fields = {"note": note.strip(), "category": category, "grade": grade, "unit": unit, "role": role,
                      "reason": reason.strip(), "text": text.strip(), "outcome": outcome,
                      "working_days": working_days, "level": level, "reasons": reasons or []}
    step = ACTIONS.get(action)
    try:
        if step is None:
            raise AppError(VALIDATION, detail=f"unknown action {action}")
        _validated(step, ticket_no, fields, runtime, user)
    except WrongField as wrong:
        return back(here, error=wrong.error, field=wrong.problem)
    except AppError as err:
        if err.status == 404:
            raise
        return back(here, error=err)
    return back(here, done=f"done.{action}")


# The API's field names as the console's forms name them (their labels are field.* words).
FIELD_NAMES = {"text": "reply_text", "working_days": "days"}


class WrongField(Exception):
    """A form field the API's body refused: which one and why."""

    def __init__(self, error: AppError, problem: FieldProblem) -> None:
        super().__init__(error.code)
        self.error, self.problem = error, problem


def _validated(step: Callable[..., Any], ticket_no: str, fields: Fields, runtime: PlatformRuntime,
               user: ConsoleUser) -> None:
    try:
        step(ticket_no, fields, load_ticket_config(), runtime, user)
    except ValidationError as err:
        names = ", ".join(str(e["loc"][0]) for e in err.errors())
        raise WrongField(AppError(VALIDATION, detail=names), field_problem(err, FIELD_NAMES)) from err
