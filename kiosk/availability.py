"""Why a service cannot be used right now, in plain words, and what the resident can do instead.

The station says which services are stopped and by which component status (GET /api/station:
services[].state, reason, blocking, note); this turns that into a short line for the tile and the
advice for the explanation dialog. Kivy-free.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dialogs import CLOSE, UNAVAILABLE, Dialog, bilingual
from .i18n import N_
from .records import Service, StationInfo, Text

CERTIFICATES, VERIFY, REQUESTS, PROGRESS, NOTICES, HELP = (
    "certificates", "verify", "requests", "progress", "notices", "help")
VOLUNTEERS, EMERGENCY = "volunteers", "emergency"

# Every home tile, in order: (service code, title msgid, what it does msgid, icon).
SERVICES: tuple[tuple[str, str, str, str], ...] = (
    (CERTIFICATES, N_("Certificates"), N_("Print a certificate with your ID card"), "certificate"),
    (VERIFY, N_("Verify a certificate"), N_("Scan its QR code to see if it is genuine"), "verify"),
    (REQUESTS, N_("Requests & complaints"), N_("Report a problem or make a suggestion"), "requests"),
    (PROGRESS, N_("Check progress"), N_("Scan your slip to see how it is going"), "progress"),
    (NOTICES, N_("Notices"), N_("News from your community"), "notices"),
    (HELP, N_("Help"), N_("How to use this station"), "help"),

)
# Entries beside the tiles (home keeps at most six tiles): a button on home's bottom row.
SIDE_ENTRIES: dict[str, str] = {VOLUNTEERS: N_("Volunteer sign-in"), EMERGENCY: N_("Emergency services")}
SERVICE_NAMES = {code: title for code, title, _note, _icon in SERVICES} | SIDE_ENTRIES
# What this kiosk version can take a resident through (a service the station does not list is
# shown as not available yet).
KIOSK_READY = frozenset({CERTIFICATES, VERIFY, REQUESTS, PROGRESS, NOTICES, HELP, VOLUNTEERS, EMERGENCY})

NOT_YET = N_("Not available at this kiosk yet")
NOT_YET_ADVICE = N_("Please call the hotline 12345, or visit the community service desk in "
                    "office hours.")
ELSEWHERE = N_("Please use another service station nearby, or call the hotline 12345.")
CONNECTING = N_("Connecting to the station…")
CONNECTING_ADVICE = N_("Please wait a moment. If it stays like this, call the hotline 12345.")

# Why a service stopped, by (component, status code) that stops it; "*" matches any component.
_BLOCKED: dict[tuple[str, str], str] = {
    ("printer", "MEDIA_EMPTY"): N_("Paused: the printer is out of paper"),
    ("printer", "MEDIA_JAMMED"): N_("Paused: the printer's paper is jammed"),
    ("printer", "COVER_OPEN"): N_("Paused: the printer cover is open"),
    ("printer", "*"): N_("Paused: the printer is not working"),
    ("idcard", "*"): N_("Paused: the ID card reader is not working"),
    ("scanner", "*"): N_("Paused: the code scanner is not working"),
    ("camera", "*"): N_("Paused: the code scanner is not working"),
}
_BY_REASON: dict[str, str] = {
    "backend": N_("Paused: no network connection"),
    "hours": N_("Closed at this hour"),
}
MAINTENANCE = N_("Paused for maintenance")
SUSPENDED = N_("Suspended by the staff")


@dataclass(frozen=True)
class Availability:
    usable: bool
    why: str = ""  # msgid: one short line for the tile ("" when usable)
    note: str = ""  # the staff's own words when they suspended the service (one language)
    advice: str = ""  # msgid: what to do instead


def availability(station: StationInfo | None, code: str) -> Availability:
    """Say whether the service ``code`` can be used now and, if not, why and what to do."""
    if code not in KIOSK_READY:
        return Availability(False, NOT_YET, advice=NOT_YET_ADVICE)
    if code in (NOTICES, HELP, EMERGENCY):
        return Availability(True)  # information the kiosk holds itself (emergency mode works offline)
    if station is None:
        return Availability(False, CONNECTING, advice=CONNECTING_ADVICE)
    service = station.service(code)
    if service is None:
        return Availability(False, NOT_YET, advice=NOT_YET_ADVICE)
    if service.usable:
        return Availability(True)
    if service.state == "SUSPENDED":
        return Availability(False, SUSPENDED, note=service.note, advice=ELSEWHERE)
    return Availability(False, _why(service), advice=ELSEWHERE)


def _why(service: Service) -> str:
    for component, status in service.blocking:
        why = _BLOCKED.get((component, status)) or _BLOCKED.get((component, "*"))
        if why:
            return why
    return _BY_REASON.get(service.reason or "", MAINTENANCE)


def still_working(station: StationInfo | None) -> tuple[str, ...]:
    """Return the services (title msgids) that work now, for 'what still works here'."""
    return tuple(SERVICE_NAMES[code] for code, *_rest in SERVICES
                 if code in KIOSK_READY and availability(station, code).usable)


def unavailable_dialog(station: StationInfo | None, code: str, found: Availability) -> Dialog:
    """The dialog a touch on a paused service's tile opens: why, the staff's note, what to do
    instead, and what still works here."""
    lines = [bilingual(found.why)]
    if found.note:
        lines.append(bilingual(N_("The staff say: {note}"), note=found.note))
    lines.append(bilingual(found.advice))
    working = [bilingual(name) for name in still_working(station)]
    if working:
        joined = Text("、".join(t.zh for t in working), ", ".join(t.en for t in working))
        lines.append(bilingual(N_("Still working here: {services}"), services=joined))
    return Dialog(UNAVAILABLE, bilingual(N_("{service} cannot be used right now"),
                                         service=bilingual(SERVICE_NAMES[code])),
                  tuple(lines), ((CLOSE, bilingual(N_("OK"))),), tone="warning")
