"""Where a scanned code goes: by its prefix and by the screen shown. A certificate (HC1:) is
checked on the verify screen; a request slip (GD1:) shows its progress; an application slip (QJ1:)
collects the certificate; a resident code (SF1:) identifies the waiting resident; on the
maintenance screen any code is a test scan. Kivy-free."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .state import Step

if TYPE_CHECKING:
    from .flow import KioskFlow

SLIP, PICKUP, RESIDENT = "GD1:", "QJ1:", "SF1:"

# Screens where a slip of another service may be scanned and is taken up at once.
_STARTS = frozenset({Step.HOME, Step.ATTRACT, Step.SCAN_CODE, Step.PROGRESS_SCAN, Step.PICKUP_SCAN})


def route_scan(flow: KioskFlow, text: str) -> None:
    """Hand a scanned code to whichever journey it belongs to now (or drop it)."""
    step, code = flow.state.step, text.strip()
    if step is Step.MAINTENANCE:
        flow.maintenance.on_scanned(code)
    elif code.startswith(RESIDENT) or step is Step.SCAN_RESIDENT:
        flow.identify_with_code(code)  # only waiting screens take it
    elif code.startswith(PICKUP) and (step in _STARTS or (step is Step.WAIT_CARD
                                                          and flow.state.service == "certificates")):
        flow.pickup.on_scanned(code)
    elif code.startswith(SLIP) and step in _STARTS:
        flow.progress.on_scanned(code)
    elif step is Step.PROGRESS_SCAN:
        flow.progress.on_scanned(code)  # the station says why it is not a slip
    elif step is Step.PICKUP_SCAN:
        flow.pickup.on_scanned(code)
    else:
        flow.verify.on_scanned(code)  # only the verify screen takes it
