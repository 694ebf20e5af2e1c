"""核验证明 — verifying a certificate someone handed the resident: scan the QR printed on it, ask
the station (which checks the signature offline against its trust list and revocations), and say
the verdict in plain words. A journey (``kiosk.journeys``); Kivy-free.

    home → scan_code → (checking…) → verify_result → thanks → home
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..errors import StationError
from ..i18n import N_
from ..records import CertificateType, Text, VerificationResult
from ..state import Step
from .host import JourneyHost

log = logging.getLogger(__name__)

SERVICE = "verify"
CHECKING = N_("Checking the certificate…")
UNREADABLE = N_("The code could not be read. Hold the paper flat and still, about a hand's width "
                "from the scanner, and try again.")
NOT_CHECKED = N_("The certificate could not be checked just now. Please scan it again.")


@dataclass(frozen=True)
class VerdictView:
    """How a verdict is shown: never by colour alone — an icon and words say it too."""

    tone: str  # ok | bad | warn (background colour of the verdict banner)
    icon: str  # image in assets/images
    headline: str  # msgid
    explanation: str  # msgid
    show_details: bool  # the certificate's (verified) details to compare with the paper


_BAD = N_("Do not accept this paper as a certificate. If in doubt, call the hotline 12345.")
VERDICTS: dict[str, VerdictView] = {
    "genuine": VerdictView("ok", "verdict_ok.png", N_("Genuine: this certificate is valid"),
                           N_("Compare these details with the paper. They must be the same."), True),
    "tampered": VerdictView("bad", "verdict_bad.png", N_("Not genuine: the code has been altered"),
                            _BAD, False),
    "untrusted": VerdictView("bad", "verdict_bad.png",
                             N_("Not genuine: not issued by a trusted service station"), _BAD, False),
    "expired": VerdictView("warn", "verdict_warn.png",
                           N_("Expired: this certificate is no longer valid"),
                           N_("The holder can print a new one at any service station."), False),
    "not_yet_valid": VerdictView("warn", "verdict_warn.png", N_("Not valid yet"),
                                 N_("This certificate's validity has not started. Check the date "
                                    "on the paper, or call the hotline 12345."), False),
    "revoked": VerdictView("bad", "verdict_bad.png",
                           N_("Revoked: this certificate has been cancelled"),
                           N_("It is no longer valid. The holder can ask the community service "
                              "desk why."), False),
    "malformed": VerdictView("warn", "verdict_warn.png", N_("This is not a certificate code"),
                             N_("Scan the QR code printed on the certificate, below its text."),
                             False),
}


def verdict_view(result: VerificationResult) -> VerdictView:
    """Return how to show a verification result."""
    return VERDICTS.get(result.verdict, VERDICTS["malformed"])


class VerifyJourney:
    """The verification steps; the flow routes its actions and scan events here."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host
        self.catalog: dict[str, CertificateType] = {}  # type names for the result (not personal)

    def start(self) -> None:
        """Home: the resident chose Verify a certificate."""
        state = self.host.state
        if state.step not in (Step.HOME, Step.ATTRACT):
            return
        self.host.touch()
        state.service, state.verification, state.scan_problem = SERVICE, None, None
        self.host.go(Step.SCAN_CODE)
        if not self.catalog:
            self.host.call(self.host.api.certificate_types, self._got_catalog, generation_bound=False)

    def _got_catalog(self, types: list[CertificateType] | None, error: StationError | None) -> None:
        if error is None and types:
            self.catalog = {t.code: t for t in types}
            self.host.changed()

    def type_name(self, code: str) -> Text | None:
        """The certificate type's name in both languages, if the station's catalog has it."""
        kind = self.catalog.get(code)
        return kind.name if kind else None

    def purpose_name(self, type_code: str, purpose: str) -> Text | None:
        kind = self.catalog.get(type_code)
        found = kind.purpose(purpose) if kind else None
        return found.name if found else None

    def on_scanned(self, text: str) -> None:
        """A code was scanned: check it with the station (only while waiting for one)."""
        state = self.host.state
        if state.step is not Step.SCAN_CODE or state.busy:
            return
        self.host.touch()
        state.scan_problem, state.busy = None, CHECKING
        self.host.changed()
        self.host.call(lambda: self.host.api.verify(text), self._verified)

    def _verified(self, result: VerificationResult | None, error: StationError | None) -> None:
        state = self.host.state
        state.busy = None
        if error is not None or result is None:
            log.warning("verification failed: %s", error)
            state.scan_problem = NOT_CHECKED
            self.host.changed()
            return
        log.info("verified a certificate: %s", result.verdict)
        state.verification = result
        self.host.go(Step.VERIFY_RESULT)

    def on_unreadable(self) -> None:
        """The scanner saw a code it could not read."""
        state = self.host.state
        if state.step is Step.SCAN_CODE and not state.busy:
            state.scan_problem = UNREADABLE
            self.host.changed()

    def scan_again(self) -> None:
        """From a result: check another certificate."""
        state = self.host.state
        if state.step is Step.VERIFY_RESULT:
            self.host.touch()
            state.verification, state.scan_problem = None, None
            self.host.go(Step.SCAN_CODE)
