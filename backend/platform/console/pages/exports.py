"""Downloads of every console list and of the figures, as CSV or XLSX: the same filters as the
page (read from the query string), the same area (the staff API's own functions), the same
masking (see ..export). Headings are in the viewer's language; times on the district's clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from backend.shared import localtime
from backend.shared.errors import NOT_FOUND, AppError
from backend.shared.tickets.config import load_ticket_config

from ...api.deps import RuntimeDep
from ...api.routes import applications as applications_api
from ...api.routes import certificates as certificates_api
from ...api.routes import stations as stations_api
from ...runtime import PlatformRuntime
from ...services import audit
from ..export import Table, encode
from ..i18n import WORDS, words
from ..render import ConsoleRoute, local_time
from ..search import AlertFilter, TicketFilter, find_tickets
from ..session import ConsoleUser, UserDep, language
from .admin import action_words
from .alerts import filtered_alerts
from .export_figures import figures_table, headings, ratings_table, trends_table

router = APIRouter(prefix="/console/export", route_class=ConsoleRoute, include_in_schema=False)
Builder = Callable[[ConsoleUser, PlatformRuntime, QueryParams, str], Table]


def _w(lang: str, pair: Any) -> str:
    if isinstance(pair, dict):
        return str(pair.get(lang) or pair.get("zh") or "")
    return "" if pair is None else str(pair)


def _said(lang: str, prefix: str, value: Any) -> str:
    key = f"{prefix}.{value}"
    return words(lang, key) if key in WORDS else ("" if value is None else str(value))


def _when(value: str | None) -> str:
    return local_time(value, "%Y-%m-%d %H:%M") if value else ""


def tickets_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    found = find_tickets(user.staff, runtime, load_ticket_config(), TicketFilter.of(params), limit=5000)
    rows = [
        [
            t["ticket_no"],
            _w(lang, t["category_name"]) or t["category"],
            _said(lang, "grade", t["grade"]),
            _w(lang, t["place"]),
            _said(lang, "tstate", t["state"]),
            _w(lang, t["assigned_unit_name"]),
            t["station_id"] or "",
            t["phone_masked"],
            _said(lang, "deadline", (t["deadline"] or {}).get("stage")),
            bool((t["deadline"] or {}).get("overdue")),
            _when(t["received_at"]),
            t["description"],
        ]
        for t in found
    ]
    return Table(
        "tickets",
        words(lang, "tickets.title"),
        headings(
            lang,
            "col.ticket",
            "col.category",
            "col.grade",
            "col.place",
            "col.state",
            "col.unit",
            "col.station",
            "export.phone",
            "col.deadline",
            "export.overdue",
            "col.received",
            "export.description",
        ),
        rows,
    )


def alerts_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    found = filtered_alerts(user, runtime, AlertFilter.of(params))
    rows = [
        [
            a["id"],
            _said(lang, "severity", a["severity"]),
            a["station_id"],
            _said(lang, "alert", a["kind"]),
            a.get("detail", ""),
            _when(a["opened_at"]),
            _when(a.get("resolved_at")),
            a.get("acknowledged_by") or "",
            a.get("assigned_to") or "",
        ]
        for a in found
    ]
    return Table(
        "alerts",
        words(lang, "alerts.title"),
        [
            "#",
            *headings(
                lang,
                "col.severity",
                "col.station",
                "col.type",
                "col.detail",
                "col.opened",
                "col.resolved",
                "alerts.acknowledged",
                "alerts.assigned",
            ),
        ],
        rows,
    )


def certificates_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    text = {k: str(params.get(k, ""))[:64].strip() for k in ("q", "type_code", "state", "station_id")}
    found = certificates_api.search(
        user.visible,
        runtime,
        q=text["q"],
        serial="",
        name="",
        id_masked="",
        type_code=text["type_code"],
        state=text["state"],
        station_id=text["station_id"],
        limit=1000,
    )
    rows = [
        [
            c["serial"],
            c["identifier"],
            c["type_code"],
            c["holder_name"],
            c["holder_id_masked"],
            c["purpose"],
            _said(lang, "cert", c["state"]),
            c["station_id"],
            _when(c["issued_at"]),
            _when(c["expires_at"]),
            c["print_count"],
        ]
        for c in found
    ]
    return Table(
        "certificates",
        words(lang, "registry.title"),
        headings(
            lang,
            "col.serial",
            "export.identifier",
            "col.type",
            "col.holder",
            "export.id_masked",
            "export.purpose",
            "col.cert_state",
            "col.station",
            "col.issued",
            "export.expires",
            "export.prints",
        ),
        rows,
    )


def applications_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    found = applications_api.list_applications(user.visible, runtime, state="all", limit=1000)
    rows = [
        [
            a["id"],
            a["type_code"],
            a["holder_name"],
            a["holder_id_masked"],
            a["purpose"],
            _said(lang, "appstate", a["state"]),
            a["station_id"],
            _when(a["submitted_at"]),
            a["decided_by"] or "",
            _when(a["decided_at"]),
            a["reason"] or "",
        ]
        for a in found
    ]
    return Table(
        "applications",
        words(lang, "nav.applications"),
        [
            "#",
            *headings(
                lang,
                "col.type",
                "col.holder",
                "export.id_masked",
                "export.purpose",
                "col.state",
                "col.station",
                "export.submitted",
                "col.by",
                "col.at",
                "col.reason",
            ),
        ],
        rows,
    )


def fleet_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    found = stations_api.list_stations(user.visible, runtime)
    rows = [
        [
            s["id"],
            s["name"],
            s["community_code"],
            s["station_code"],
            bool(s["online"]),
            _said(lang, "service", s["service_state"]),
            s["paper_level"] or "",
            s["outbox_depth"],
            s["open_alerts"],
            s["version"] or "",
            _when(s["last_seen"]),
        ]
        for s in found
    ]
    return Table(
        "fleet",
        words(lang, "nav.fleet"),
        headings(
            lang,
            "col.station",
            "export.name",
            "export.community",
            "export.code",
            "col.online",
            "col.service",
            "export.paper",
            "col.outbox",
            "col.alerts",
            "col.version",
            "export.last_seen",
        ),
        rows,
    )


def audit_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    user.require("audit")
    with runtime.db() as session:
        found = audit.recent(session, viewer_org=user.staff.org_code, limit=1000)
    found = [e for e in found if _audit_keep(e, params)]
    rows = [
        [
            e["id"],
            _when(e["at"]),
            e["actor"],
            action_words(lang, e["action"]),
            e["action"],
            e["target"],
            e["org_code"] or "",
            _detail(e["detail"]),
        ]
        for e in found
    ]
    return Table(
        "audit",
        words(lang, "audit.title"),
        [
            "#",
            *headings(
                lang,
                "col.at",
                "audit.actor",
                "audit.action",
                "col.code",
                "audit.target",
                "col.unit",
                "col.detail",
            ),
        ],
        rows,
    )


def _audit_keep(entry: dict[str, Any], params: QueryParams) -> bool:
    actor, action, target = (str(params.get(k, ""))[:64].strip() for k in ("actor", "action", "target"))
    return (
        (not actor or entry["actor"] == actor)
        and (not action or entry["action"].startswith(action))
        and (not target or target in entry["target"])
    )


def _detail(detail: Any) -> str:
    if not detail:
        return ""
    return "; ".join(f"{k}={v}" for k, v in sorted(dict(detail).items()))


BUILDERS: dict[str, Builder] = {
    "tickets": tickets_table,
    "alerts": alerts_table,
    "certificates": certificates_table,
    "applications": applications_table,
    "fleet": fleet_table,
    "figures": figures_table,
    "figures-daily": trends_table,
    "audit": audit_table,
    "ratings": ratings_table,
}


def build(what: str, user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    """The table of one export (raises not found for an unknown one)."""
    builder = BUILDERS.get(what)
    if builder is None:
        raise AppError(NOT_FOUND, detail=what)
    return builder(user, runtime, params, lang)


@router.get("/{what}.{fmt}")
def download(what: str, fmt: str, request: Request, user: UserDep, runtime: RuntimeDep) -> Response:
    """One list as a file, named after the list and the local date."""
    if fmt not in ("csv", "xlsx"):
        raise AppError(NOT_FOUND, detail=fmt)
    table = build(what, user, runtime, request.query_params, language(request))
    body, media = encode(table, fmt)
    stamp = localtime.to_local(runtime.clock.now()).strftime("%Y%m%d-%H%M")
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{table.name}-{stamp}.{fmt}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
