"""物资需求登记 in emergency mode (战时): an identified household registers a need. Kivy-free.

    emergency ─(物资需求登记)→ wait_card → identity → need_kind ─(food, medicine…)→ need_urgency
        → need_contact (phone on the keypad, optional phrases) ─(send)→ need_done (number, slip) → thanks

The kinds and urgencies come from the station (GET /api/emergency). One idempotency key per
registration: a failed or lost answer is retried with the same key, so the station returns the
same need (and prints its slip) rather than registering it twice. Changing the need makes a new key.
"""

from __future__ import annotations

from typing import Any

from ..dialogs import EntryKind
from ..errors import StationError
from ..i18n import N_, translate
from ..records.volunteers import Choice, NeedView
from ..state import NeedDraft, Step
from .host import JourneyHost

NEED_PHONE_FIELD = "need_phone"
SENDING_NEED = N_("Sending your request and printing the slip…")
# Optional ready phrases (no IME needed): the building leader reads them in Chinese.
NEED_PHRASES: dict[str, str] = {
    "elderly_alone": N_("An elderly person lives alone"),
    "cannot_walk": N_("Someone cannot walk or go downstairs"),
    "baby": N_("There is a baby or small child"),
    "chronic": N_("Someone needs daily medicine for a long illness"),
    "at_door": N_("Please leave it at the door"),
}
PHRASE_LANGUAGE = "zh_CN"


class NeedRegistration:
    """The need's steps; the emergency journey starts it once the household is identified."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host

    @property
    def draft(self) -> NeedDraft:
        return self.host.state.volunteer.need

    def _at(self, step: Step) -> bool:
        return self.host.state.step is step and not self.host.state.busy

    def _choices(self, name: str) -> tuple[Choice, ...]:
        info = self.host.state.emergency
        return tuple(getattr(info, name)) if info else ()

    @property
    def kinds(self) -> tuple[Choice, ...]:
        return self._choices("need_kinds")

    @property
    def urgencies(self) -> tuple[Choice, ...]:
        return self._choices("urgencies")

    def begin(self) -> None:
        """The household is identified: choose what is needed."""
        self.host.state.volunteer.need = NeedDraft()
        self.host.go(Step.NEED_KIND)

    def _changed(self) -> None:
        self.draft.idempotency_key = None  # a different need: a new registration

    def choose_kind(self, code: str) -> None:
        if not self._at(Step.NEED_KIND) or code not in {k.code for k in self.kinds}:
            return
        self.host.touch()
        if code != self.draft.kind:
            self._changed()
        self.draft.kind = code
        self.host.go(Step.NEED_URGENCY)

    def choose_urgency(self, code: str) -> None:
        if not self._at(Step.NEED_URGENCY) or code not in {u.code for u in self.urgencies}:
            return
        self.host.touch()
        if code != self.draft.urgency:
            self._changed()
        self.draft.urgency = code
        self.host.go(Step.NEED_CONTACT)

    def enter_phone(self) -> None:
        if self._at(Step.NEED_CONTACT):
            self.host.open_entry(EntryKind.PHONE, N_("Your phone number"), NEED_PHONE_FIELD, self.draft.phone)

    def set_phone(self, phone: str) -> None:
        if phone != self.draft.phone:
            self._changed()
        self.draft.phone = phone
        self.host.changed()

    def toggle_phrase(self, code: str) -> None:
        if not self._at(Step.NEED_CONTACT) or code not in NEED_PHRASES:
            return
        self.host.touch()
        phrases = self.draft.phrases
        phrases.remove(code) if code in phrases else phrases.append(code)
        self._changed()
        self.host.changed()

    @property
    def complete(self) -> bool:
        return bool(self.draft.kind and self.draft.urgency and self.draft.phone)

    def submit(self) -> None:
        """Send: register the need (one key per registration) and print its slip."""
        if not self._at(Step.NEED_CONTACT) or not self.complete:
            return
        self.host.touch()
        if self.draft.idempotency_key is None:
            self.draft.idempotency_key = self.host.new_key()
        self._send()

    def body(self) -> dict[str, Any]:
        """What POST /api/emergency/needs is sent (phrases in Chinese, for the building leader)."""
        draft = self.draft
        return {"session_id": self.host.state.session_id, "idempotency_key": draft.idempotency_key,
                "kind": draft.kind, "urgency": draft.urgency, "phone": draft.phone,
                "phrases": [translate(NEED_PHRASES[p], PHRASE_LANGUAGE) for p in draft.phrases],
                "print": True}

    def _send(self) -> None:
        body = self.body()
        self.host.set_retry(self._send)  # the same key: the station answers with the same need
        self.host.state.busy = SENDING_NEED
        self.host.changed()
        self.host.call(lambda: self.host.api.register_need(body), self._sent)

    def _sent(self, need: NeedView | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or need is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        self.draft.registered = need
        self.host.go(Step.NEED_DONE)
