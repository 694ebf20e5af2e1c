"""Which journey the resident's touches go to: a home tile (by service, or why it cannot be used
now), the resident once identified (by service), Back (by step and by what was chosen) and the
on-screen keyboard's text (by its field). ``scans`` does the same for scanned codes. Kivy-free."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..advice import Action
from ..availability import (
    CERTIFICATES,
    HELP,
    NOTICES,
    PROGRESS,
    REQUESTS,
    VERIFY,
    VOLUNTEERS,
    availability,
    unavailable_dialog,
)
from ..dialogs import Entry
from ..journeys.accounts import SERVICE as ACCOUNTS
from ..journeys.accounts import AccountsJourney
from ..journeys.activities import SERVICE as ACTIVITIES
from ..journeys.activities import ActivitiesJourney
from ..journeys.certificates import CertificateJourney
from ..journeys.council import FIELD as COUNCIL_FIELD
from ..journeys.council import SERVICE as COUNCIL
from ..journeys.council import CouncilJourney
from ..journeys.emergency import SERVICE as EMERGENCY
from ..journeys.emergency import EmergencyJourney
from ..journeys.emergency_need import NEED_PHONE_FIELD
from ..journeys.host import JourneyHost
from ..journeys.maintenance import PIN_FIELD, MaintenanceJourney
from ..journeys.neighbours import SERVICE as NEIGHBOURS
from ..journeys.neighbours import NeighbourGroupJourney
from ..journeys.organisations import FIELD as ORG_FIELD
from ..journeys.organisations import SERVICE as ORGANISATIONS
from ..journeys.organisations import OrganisationsJourney
from ..journeys.progress import ProgressJourney
from ..journeys.service_requests import PHONE_FIELD, TEXT_FIELD, RequestJourney
from ..journeys.verify import VerifyJourney
from ..journeys.volunteers import VolunteerJourney
from ..state import BACK, Step


class _AfterIdentity(Protocol):
    def identified(self) -> None: ...


class RoutedVisit(JourneyHost, Protocol):
    """The journeys a touch can reach."""

    certificates: CertificateJourney
    verify: VerifyJourney
    requests: RequestJourney
    progress: ProgressJourney
    maintenance: MaintenanceJourney
    volunteers: VolunteerJourney
    emergency: EmergencyJourney
    neighbours: NeighbourGroupJourney
    activities: ActivitiesJourney
    accounts: AccountsJourney
    organisations: OrganisationsJourney
    council: CouncilJourney


def start_service(flow: RoutedVisit, code: str) -> None:
    """Start the home tile ``code``'s service, or explain why it cannot be used now."""
    found = availability(flow.state.station, code)
    starts: dict[str, Callable[[], None]] = {
        CERTIFICATES: flow.certificates.start, VERIFY: flow.verify.start,
        REQUESTS: flow.requests.start, PROGRESS: flow.progress.start,
        HELP: lambda: flow.go(Step.HELP), NOTICES: lambda: flow.go(Step.NOTICES),
        VOLUNTEERS: flow.volunteers.start, EMERGENCY: flow.emergency.start}
    if not found.usable:
        flow.state.dialog = unavailable_dialog(flow.state.station, code, found)
        flow.changed()
    elif code in starts:
        starts[code]()


def after_identity(flow: RoutedVisit) -> None:
    """The resident confirmed who they are: the service's own next step (certificates: the type)."""
    journeys: dict[str, _AfterIdentity] = {
        REQUESTS: flow.requests, PROGRESS: flow.progress, VOLUNTEERS: flow.volunteers,
        EMERGENCY: flow.emergency, ACTIVITIES: flow.activities, ACCOUNTS: flow.accounts,
        ORGANISATIONS: flow.organisations, COUNCIL: flow.council, NEIGHBOURS: flow.neighbours}
    journey = journeys.get(flow.state.service or "")
    if journey is not None:
        journey.identified()
    else:
        flow.go(Step.CHOOSE_TYPE)


def go_back(flow: RoutedVisit) -> None:
    """One step back; from the first steps, back means cancel and go home (the flow asks first)."""
    step = flow.state.step
    special = _back_to(flow)
    if special is not None:
        flow.go(special)
    elif step is Step.PROGRESS:
        flow.progress.back()
    elif step in BACK:
        flow.go(BACK[step])
    elif step is Step.VERIFY_RESULT:
        flow.verify.scan_again()
    elif step is Step.ERROR and flow.state.problem and Action.CHOOSE_TYPE in flow.state.problem.actions:
        flow.certificates.choose_again()
    else:
        flow.request_home()


def _back_to(flow: RoutedVisit) -> Step | None:
    """Back where it depends on the service or on what was chosen."""
    state, step = flow.state, flow.state.step
    if step is Step.WAIT_CARD and state.service == REQUESTS:
        return Step.REQ_CATEGORY
    if step is Step.REQ_PLACE:
        return Step.REQ_CATEGORY
    if step is Step.CONFIRM and state.cert_type is not None and state.cert_type.resident_fields:
        return Step.CERT_FIELDS
    return None


def route_entry(flow: RoutedVisit, entry: Entry) -> None:
    """Hand what was typed on the on-screen keyboard to the journey that asked for it."""
    if entry.field == PIN_FIELD:
        flow.maintenance.check_pin(entry.text)
    elif entry.field == PHONE_FIELD:
        flow.requests.set_phone(entry.text)
    elif entry.field == NEED_PHONE_FIELD:
        flow.emergency.need.set_phone(entry.text)
    elif entry.field.startswith(COUNCIL_FIELD):
        flow.council.set_entry(entry.field, entry.text)
    elif entry.field == TEXT_FIELD:
        flow.requests.set_text(entry.text)
    elif entry.field.startswith(ORG_FIELD):
        flow.organisations.set_field(entry.field.removeprefix(ORG_FIELD), entry.text)
    elif entry.field.startswith("field:"):
        flow.certificates.set_field(entry.field.removeprefix("field:"), entry.text)
