"""Where a scanned code goes: by its prefix and by the screen shown. A certificate (HC1:) is
checked on the verify screen; a request slip (GD1:) shows its progress; an application slip (QJ1:)
collects the certificate; an activity ticket (HD1:) checks in; a resident code (SF1:) identifies
the waiting resident; on the maintenance screen any code is a test scan. And the demo's "Simulate
scan" button, which has the simulated scanner scan what the screen waits for. Kivy-free."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from ..errors import StationError
from ..i18n import N_
from ..journeys.activities import TICKET, ActivitiesJourney
from ..journeys.host import JourneyHost
from ..journeys.identification import Identification
from ..journeys.maintenance import MaintenanceJourney
from ..journeys.pickup import PickupJourney
from ..journeys.progress import ProgressJourney
from ..journeys.verify import VerifyJourney
from ..state import FlowState, Step

log = logging.getLogger(__name__)

SLIP, PICKUP, RESIDENT = "GD1:", "QJ1:", "SF1:"
SIM_FAILED = N_("The simulated scanner did not respond. Please try again.")

# Screens where a slip of another service may be scanned and is taken up at once.
_STARTS = frozenset({Step.HOME, Step.ATTRACT, Step.SCAN_CODE, Step.PROGRESS_SCAN, Step.PICKUP_SCAN})
# ...and where an activity ticket (HD1:) checks in (also on the activities' own screens).
_CHECKS_IN = _STARTS | {Step.ACTIVITIES, Step.ACTIVITY, Step.CHECKIN}
# What the simulated scanner scans on each waiting screen: the newest one the station printed.
SAMPLES = {Step.SCAN_CODE: "latest_certificate", Step.PROGRESS_SCAN: "latest_ticket_slip",
           Step.PICKUP_SCAN: "latest_pickup"}


class ScannedVisit(JourneyHost, Protocol):
    """What a scanned code can reach: the journeys that take one."""

    identification: Identification
    pickup: PickupJourney
    progress: ProgressJourney
    verify: VerifyJourney
    maintenance: MaintenanceJourney
    activities: ActivitiesJourney


def route_scan(flow: ScannedVisit, text: str) -> None:
    """Hand a scanned code to whichever journey it belongs to now (or drop it)."""
    step, code = flow.state.step, text.strip()
    if step is Step.MAINTENANCE:
        flow.maintenance.on_scanned(code)
    elif code.startswith(RESIDENT) or step is Step.SCAN_RESIDENT:
        flow.identification.identify_with_code(code)  # only waiting screens take it
    elif code.startswith(PICKUP) and (step in _STARTS or (step is Step.WAIT_CARD
                                                          and flow.state.service == "certificates")):
        flow.pickup.on_scanned(code)
    elif code.startswith(TICKET) and step in _CHECKS_IN:
        flow.activities.on_scanned(code)
    elif code.startswith(SLIP) and step in _STARTS:
        flow.progress.on_scanned(code)
    elif step is Step.PROGRESS_SCAN:
        flow.progress.on_scanned(code)  # the station says why it is not a slip
    elif step is Step.PICKUP_SCAN:
        flow.pickup.on_scanned(code)
    else:
        flow.verify.on_scanned(code)  # only the verify screen takes it


def scanner_simulated(state: FlowState) -> bool:
    """True if the station's scanner is simulated (the demo button shows)."""
    return bool(state.station and state.station.simulated.get("scanner"))


def simulate_scan(flow: JourneyHost) -> None:
    """Demo only: the simulated scanner scans the newest code of the kind this screen waits for."""
    state = flow.state
    sample = SAMPLES.get(state.step)
    if sample is None or state.busy or not scanner_simulated(state):
        return
    flow.touch()
    state.scan_problem, state.scan_error = None, None
    flow.changed()
    flow.call(lambda: flow.api.simulate_scan(sample), lambda value, error: _simulated(flow, value, error))


def _simulated(flow: JourneyHost, _value: Any, error: StationError | None) -> None:
    if error is not None:
        log.warning("simulated scan not made: %s", error)
        flow.state.scan_problem = SIM_FAILED
        flow.changed()
