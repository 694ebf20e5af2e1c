"""Talking to the station backend: ``StationApi``, what the journeys may ask the station (tests
pass a fake), and ``StationClient``, its synchronous HTTP implementation (called from worker
threads, never from the UI thread). The event stream is ``kiosk.event_stream``. No Kivy here.

One module per thing the kiosk asks the station about, each with its part of the contract
(``…Api``, a Protocol) and its calls (``…Calls``, a mixin over ``transport.Calls._request``);
``transport`` is the one place that speaks HTTP.
"""

from __future__ import annotations

from typing import Protocol

from .certificates import CertificateApi, CertificateCalls
from .community import CommunityApi, CommunityCalls
from .council import CouncilApi, CouncilCalls
from .sessions import SessionApi, SessionCalls
from .station import StationStatusApi, StationStatusCalls
from .tickets import TicketApi, TicketCalls
from .transport import PRINT_TIMEOUT, TOKEN_FILE, HttpTransport, StationToken, as_mapping
from .volunteers import VolunteerApi, VolunteerCalls

__all__ = [
    "PRINT_TIMEOUT",
    "TOKEN_FILE",
    "CouncilApi",
    "CouncilCalls",
    "StationApi",
    "StationClient",
    "StationToken",
    "as_mapping",
]


class StationApi(StationStatusApi, SessionApi, CertificateApi, TicketApi, CommunityApi, CouncilApi,
                 VolunteerApi, Protocol):
    """Everything the journeys may ask the station."""


class StationClient(StationStatusCalls, SessionCalls, CertificateCalls, TicketCalls, CommunityCalls,
                    CouncilCalls, VolunteerCalls, HttpTransport):
    """The station's HTTP API; every failure becomes a ``StationError``."""
