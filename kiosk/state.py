"""The journey's vocabulary: its steps, the state the screens render, and the station API the
flow needs (``kiosk.client.StationClient`` implements it; tests pass a fake)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from .advice import Problem
from .dialogs import Dialog, Entry
from .i18n import N_
from .models import (
    Certificate,
    CertificateType,
    Identity,
    SessionInfo,
    StationInfo,
    VerificationResult,
)


class Step(StrEnum):
    ATTRACT = "attract"  # idle: the station, its services, a clock, notices; any touch wakes it
    HOME = "home"
    WAIT_CARD = "wait_card"
    IDENTITY = "identity"
    CHOOSE_TYPE = "choose_type"
    CHOOSE_PURPOSE = "choose_purpose"
    CONFIRM = "confirm"
    PRINTING = "printing"
    DONE = "done"
    ERROR = "error"
    SCAN_CODE = "scan_code"  # verify: scan the QR printed on the certificate
    VERIFY_RESULT = "verify_result"
    THANKS = "thanks"  # after a finished service; home by itself
    HELP = "help"
    NOTICES = "notices"


# Screens that never hold a resident's details: no idle warning there.
RESTING = frozenset({Step.ATTRACT, Step.HOME, Step.THANKS})


BACK: dict[Step, Step] = {
    Step.CHOOSE_PURPOSE: Step.CHOOSE_TYPE,
    Step.CONFIRM: Step.CHOOSE_PURPOSE,
}

# What the resident is told when the reader refuses a card (card.rejected's reason).
CARD_PROBLEMS: dict[str, str] = {
    "expired": N_("This ID card has expired. Please use a valid card."),
    "invalid_number": N_("This card's ID number is not valid. Please ask the staff."),
    "card_removed": N_("The card was taken away too soon. Please place it again and hold it still."),
}
CARD_PROBLEM_DEFAULT = N_("The card could not be read. Please place it again.")


class StationApi(Protocol):
    def station(self) -> StationInfo: ...
    def start_session(self, service: str) -> SessionInfo: ...
    def get_session(self, session_id: str) -> SessionInfo: ...
    def end_session(self, session_id: str) -> None: ...
    def certificate_types(self) -> list[CertificateType]: ...
    def issue_certificate(self, *, session_id: str, type_code: str, purpose: str,
                          idempotency_key: str, fields: dict[str, str] | None = None) -> Certificate: ...
    def print_certificate(self, certificate_id: str, *, session_id: str) -> Certificate: ...
    def verify(self, token: str) -> VerificationResult: ...
    def simulate_scan(self) -> None: ...
    def simulate_card(self, resident: str = "1") -> None: ...
    def remove_simulated_card(self) -> None: ...


@dataclass
class FlowState:
    """What the screens show. Everything below ``session_id`` is personal and cleared together."""

    step: Step = Step.ATTRACT
    busy: str | None = None  # msgid saying what the kiosk is waiting for, or None
    station: StationInfo | None = None
    connected: bool = False  # the station's event stream is up
    notices: tuple[str, ...] = ()  # today's community notices (from the platform, later)
    # The visit's choices: kept while the resident is here, reset when the visit ends.
    elderly: bool = False  # 长辈模式: larger text, higher contrast, fewer items, slower timeouts
    muted: bool = False  # no spoken instructions
    dialog: Dialog | None = None  # a question or explanation over the screen
    entry: Entry | None = None  # an on-screen keyboard over the screen
    service: str | None = None  # the service of the visit under way (certificates | verify)
    session_id: str | None = None
    types: list[CertificateType] = field(default_factory=list)
    identity: Identity | None = None
    card_problem: str | None = None  # msgid
    reading_card: bool = False
    cert_type: CertificateType | None = None
    purpose: str | None = None
    idempotency_key: str | None = None
    certificate: Certificate | None = None
    problem: Problem | None = None
    verification: VerificationResult | None = None
    scan_problem: str | None = None  # msgid: why the last scan gave nothing to check

    def clear_personal(self) -> None:
        """Forget the session and everything about the resident."""
        self.session_id = None
        self.types = []
        self.identity = None
        self.card_problem = None
        self.reading_card = False
        self.cert_type = None
        self.purpose = None
        self.idempotency_key = None
        self.certificate = None
        self.problem = None
        self.busy = None
        self.verification = None
        self.scan_problem = None
        self.dialog = None
        self.entry = None
        self.service = None

    def end_visit(self) -> None:
        """Forget everything about the visit, including its display choices."""
        self.clear_personal()
        self.elderly = False
        self.muted = False


def new_idempotency_key() -> str:
    """Return a fresh key for one confirmation ([A-Za-z0-9_-], 22 characters)."""
    return secrets.token_urlsafe(16)
