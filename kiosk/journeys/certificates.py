"""The certificate journey (Kivy-free).

    home → (identification: wait_card or scan_resident → identity) → choose_type
         → choose_purpose → [cert_fields] → confirm → printing → done (+ the phone copy's QR)
                                                    ↘ applied (types a staff member approves)

Issuing uses one idempotency key per confirmation; a retry re-sends it and prints only if the
certificate is not printed yet, so a lost answer never prints twice. An application works the
same way; its slip carries the pickup QR (``kiosk.journeys.pickup``).
"""

from __future__ import annotations

from ..dialogs import EntryKind
from ..errors import StationError
from ..i18n import N_, translator
from ..records import Application, Certificate, CertificateType
from ..state import Step
from .host import JourneyHost
from .phone_copy import PhoneCopy

SERVICE = "certificates"
FUTURE_MONTH = N_("That month has not come yet. Please enter the month it began.")


class CertificateJourney:
    """What a resident does to get a certificate printed."""

    def __init__(self, host: JourneyHost, phone_copy: PhoneCopy) -> None:
        self.host = host
        self.phone_copy = phone_copy

    def available(self) -> bool:
        station = self.host.state.station
        service = station.service(SERVICE) if station else None
        return service is not None and service.usable

    def start(self) -> None:
        """Home: the resident chose Certificates. Start a session and load the types."""
        self.host.begin(SERVICE, self.host.api.certificate_types, self._got_types)

    def _got_types(self, types: list[CertificateType]) -> None:
        self.host.state.types = types
        self.host.await_identity()

    def choose_type(self, code: str) -> None:
        """Pick a certificate type (only types this kiosk can issue are accepted)."""
        state = self.host.state
        if state.step is not Step.CHOOSE_TYPE:
            return
        kind = next((t for t in state.types if t.code == code), None)
        if kind is None or not kind.kiosk_ready:
            return
        self.host.touch()
        if kind is not state.cert_type:  # another type's details do not carry over
            state.fields, state.field_problem = {}, None
        state.cert_type, state.purpose = kind, None
        state.idempotency_key = None
        self.host.go(Step.CHOOSE_PURPOSE)

    def choose_purpose(self, code: str) -> None:
        """Pick what the certificate is for."""
        state = self.host.state
        kind = state.cert_type
        if state.step is not Step.CHOOSE_PURPOSE or kind is None or kind.purpose(code) is None:
            return
        self.host.touch()
        if code != state.purpose:
            state.idempotency_key = None  # a different request needs a different key
        state.purpose = code
        self.host.go(Step.CERT_FIELDS if kind.resident_fields else Step.CONFIRM)

    # ---- what the resident adds (a month, a school) ---------------------------------------------

    def edit_field(self, name: str) -> None:
        """Open the keyboard for one of the type's fields (month keypad, or letters)."""
        state = self.host.state
        kind = state.cert_type
        found = next((f for f in kind.resident_fields if f.name == name), None) if kind else None
        if state.step is not Step.CERT_FIELDS or found is None:
            return
        state.field_problem = None
        entry = EntryKind.MONTH if found.kind == "month" else (
            EntryKind.ENGLISH if translator.lang == "en" else EntryKind.PINYIN)
        self.host.open_entry(entry, N_("Please type here"), f"field:{name}", state.fields.get(name, ""))

    def set_field(self, name: str, value: str) -> None:
        """The keyboard gave a field's value (a month may not be in the future)."""
        state = self.host.state
        value = value.strip()
        if value and len(value) == 7 and value[4] == "-" and value > self.host.today().strftime("%Y-%m"):
            state.field_problem = FUTURE_MONTH
        elif value:
            if state.fields.get(name) != value:
                state.idempotency_key = None  # different details are a different request
            state.fields[name] = value
            state.field_problem = None
        self.host.changed()

    @property
    def fields_complete(self) -> bool:
        state = self.host.state
        kind = state.cert_type
        return kind is not None and all(state.fields.get(f.name) for f in kind.resident_fields)

    def fields_done(self) -> None:
        """Every field is filled in: show the preview."""
        if self.host.state.step is Step.CERT_FIELDS and self.fields_complete:
            self.host.touch()
            self.host.go(Step.CONFIRM)

    # ---- issuing and printing -------------------------------------------------------------------

    def confirm(self) -> None:
        """The resident confirms the preview: issue and print it (or apply, if staff approve it)."""
        state = self.host.state
        if state.step is not Step.CONFIRM or state.busy:
            return
        self.host.touch()
        if state.idempotency_key is None:
            state.idempotency_key = self.host.new_key()
        kind = state.cert_type
        if kind is not None and kind.approval:
            self._apply()
        else:
            self._issue_and_print()

    def _issue_and_print(self) -> None:
        host, state = self.host, self.host.state
        session_id, kind, purpose = state.session_id, state.cert_type, state.purpose
        key, fields = state.idempotency_key, dict(state.fields)
        if session_id is None or kind is None or purpose is None or key is None:
            return
        host.set_retry(self._issue_and_print)
        state.problem, state.certificate = None, None
        host.go(Step.PRINTING)
        host.call(lambda: host.api.issue_certificate(session_id=session_id, type_code=kind.code,
                                                     purpose=purpose, idempotency_key=key,
                                                     fields=fields),
                  self._issued)

    def _issued(self, certificate: Certificate | None, error: StationError | None) -> None:
        if error is not None or certificate is None:
            self.host.fail(error)
            return
        self.host.state.certificate = certificate
        if certificate.printed:  # a retry after a lost answer: it already printed, never twice
            self.phone_copy.show()
            return
        self.host.changed()
        session_id = self.host.state.session_id or ""
        self.host.call(lambda: self.host.api.print_certificate(certificate.id, session_id=session_id),
                       self._printed)

    def _printed(self, certificate: Certificate | None, error: StationError | None) -> None:
        if error is not None or certificate is None:
            self.host.fail(error)
            return
        self.host.state.certificate = certificate
        self.host.set_retry(None)
        self.phone_copy.show()

    # ---- applications (a staff member approves) -------------------------------------------------

    def _apply(self) -> None:
        host, state = self.host, self.host.state
        session_id, kind, purpose = state.session_id, state.cert_type, state.purpose
        key, fields = state.idempotency_key, dict(state.fields)
        if session_id is None or kind is None or purpose is None or key is None:
            return
        host.set_retry(self._apply)
        state.problem = None
        host.go(Step.PRINTING)
        if state.application is not None:  # applied already; only the slip failed
            self._applied(state.application, None)
            return
        host.call(lambda: host.api.apply(session_id=session_id, type_code=kind.code, purpose=purpose,
                                         idempotency_key=key, fields=fields), self._applied)

    def _applied(self, application: Application | None, error: StationError | None) -> None:
        if error is not None or application is None:
            self.host.fail(error)
            return
        self.host.state.application = application
        self.host.changed()
        session_id = self.host.state.session_id or ""
        self.host.call(lambda: self.host.api.print_application_slip(application.id, session_id=session_id),
                       self._slip_printed)

    def _slip_printed(self, application: Application | None, error: StationError | None) -> None:
        if error is not None or application is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        self.host.go(Step.APPLIED)

    @property
    def printing_phase(self) -> str:
        """msgid: what the printing screen is waiting for right now."""
        state = self.host.state
        kind = state.cert_type
        if kind is not None and kind.approval and state.service == SERVICE:
            return (N_("Sending your application…") if state.application is None
                    else N_("Printing your application slip…"))
        if state.certificate is None:
            return N_("Preparing your certificate…")
        return N_("Printing your certificate…")

    def choose_again(self) -> None:
        """After a refusal, choose another certificate type."""
        state = self.host.state
        if state.session_id is None or state.identity is None:
            self.host.home()
            return
        self.host.touch()
        state.problem, state.cert_type, state.purpose = None, None, None
        state.idempotency_key, state.certificate = None, None
        state.fields, state.application = {}, None
        self.host.go(Step.CHOOSE_TYPE)
