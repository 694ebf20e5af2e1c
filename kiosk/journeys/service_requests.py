"""我要反映 — filing a request (工单): a journey (``kiosk.journeys``); Kivy-free.

    home → request_category → (wait_card → identity | anonymous, where the category allows)
         → request_place → request_spot → request_describe → request_photo → request_contact
         → request_confirm → (sending, slip printing) → request_done → [rate] → thanks

The category comes first because it decides whether the resident may stay anonymous. The request
is filed with one idempotency key per confirmation, so a retry after a lost answer returns the
same ticket; a slip that did not print can be printed again. Offline, the station keeps the
request and the slip says so.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from ..dialogs import EntryKind
from ..errors import StationError
from ..i18n import N_, translator
from ..records import Places, Text, TicketCategory, TicketView
from ..state import RatingTarget, RequestDraft, Step
from .camera import CameraStep
from .host import JourneyHost

log = logging.getLogger(__name__)

SERVICE = "requests"
SENDING = N_("Sending your request…")
PRINTING_SLIP = N_("Printing your slip…")
PHONE_FIELD, TEXT_FIELD = "request_phone", "request_text"
TEXT_LIMIT = 500


class RequestJourney:
    """The request's steps; the flow routes its actions here."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host
        self.camera = CameraStep(host, step=Step.REQ_PHOTO, after=Step.REQ_CONTACT, draft=lambda: self.draft)

    @property
    def draft(self) -> RequestDraft:
        return self.host.state.request

    def _at(self, step: Step) -> bool:
        return self.host.state.step is step and not self.host.state.busy

    # ---- start, category, identity ----------------------------------------------------------------

    def start(self) -> None:
        """Home: the resident chose 我要反映. Start a session, load the categories and places."""
        api = self.host.api
        self.host.begin(SERVICE, lambda: (api.ticket_categories(), api.ticket_places()), self._loaded)

    def _loaded(self, value: tuple[list[TicketCategory], Places]) -> None:
        self.draft.categories, self.draft.places = value
        self.host.go(Step.REQ_CATEGORY)

    def choose_category(self, code: str) -> None:
        """A category tile: identified residents go on to the place; others identify first."""
        found = next((c for c in self.draft.categories if c.code == code), None)
        if not self._at(Step.REQ_CATEGORY) or found is None:
            return
        self.host.touch()
        if self.draft.category is not found:
            self.draft.phrases, self.draft.idempotency_key = [], None
        self.draft.category = found
        if self.draft.anonymous and not found.anonymous_allowed:
            self.draft.anonymous = False  # this category needs the resident's name
        if self.host.state.identity is not None or self.draft.anonymous:
            self.host.go(Step.REQ_PLACE)
        else:
            self.host.await_identity()

    @property
    def may_be_anonymous(self) -> bool:
        category = self.draft.category
        return bool(category and category.anonymous_allowed and self.host.state.service == SERVICE)

    def go_anonymous(self) -> None:
        """Wait card: file without a name (only where the category allows it)."""
        if self.host.state.step is Step.WAIT_CARD and self.may_be_anonymous:
            self.host.touch()
            self.draft.anonymous, self.draft.idempotency_key = True, None
            self.host.go(Step.REQ_PLACE)

    def identified(self) -> None:
        """The resident confirmed who they are."""
        self.draft.anonymous = False
        self.host.go(Step.REQ_PLACE)

    # ---- place ------------------------------------------------------------------------------------

    def choose_building(self, code: str) -> None:
        places = self.draft.places
        if not self._at(Step.REQ_PLACE) or places is None or places.building(code) is None:
            return
        self.host.touch()
        self._set_place("building", code)
        self.host.go(Step.REQ_SPOT)

    def choose_public(self) -> None:
        if self._at(Step.REQ_PLACE):
            self.host.touch()
            self._set_place("public", "")
            self.host.go(Step.REQ_SPOT)

    def _set_place(self, kind: str, building: str) -> None:
        draft = self.draft
        if (draft.place_kind, draft.building) != (kind, building):
            draft.unit, draft.landmark, draft.idempotency_key = "", "", None
        draft.place_kind, draft.building = kind, building

    def choose_spot(self, code: str) -> None:
        """A unit of the building, a landmark of the public area, or "" for neither."""
        if not self._at(Step.REQ_SPOT):
            return
        draft, places = self.draft, self.draft.places
        building = places.building(draft.building) if places else None
        if draft.place_kind == "building" and code and (building is None or code not in building.units):
            return
        if draft.place_kind == "public" and code and (places is None or places.landmark(code) is None):
            return
        self.host.touch()
        draft.unit, draft.landmark = (code, "") if draft.place_kind == "building" else ("", code)
        draft.idempotency_key = None
        self.host.go(Step.REQ_DESCRIBE)

    def place_words(self) -> Text:
        """Where, in both languages (for the confirmation)."""
        draft, places = self.draft, self.draft.places
        if places is None or not draft.place_kind:
            return Text("", "")
        if draft.place_kind == "public":
            landmark = places.landmark(draft.landmark)
            zh, en = places.public_name.zh, places.public_name.en
            return Text(f"{zh}：{landmark.name.zh}" if landmark else zh,
                        f"{en}: {landmark.name.en}" if landmark else en)
        building = places.building(draft.building)
        name = building.name if building else Text(draft.building, draft.building)
        if not draft.unit:
            return name
        return Text(f"{name.zh}{draft.unit}单元", f"{name.en}, unit {draft.unit}")

    # ---- description --------------------------------------------------------------------------------

    def toggle_phrase(self, code: str) -> None:
        category = self.draft.category
        if not self._at(Step.REQ_DESCRIBE) or category is None or category.phrase(code) is None:
            return
        self.host.touch()
        phrases = self.draft.phrases
        phrases.remove(code) if code in phrases else phrases.append(code)
        self.draft.idempotency_key = None
        self.host.changed()

    def write_text(self) -> None:
        """Open the keyboard for a few words of the resident's own (pinyin, or letters in English)."""
        if self._at(Step.REQ_DESCRIBE):
            kind = EntryKind.ENGLISH if translator.lang == "en" else EntryKind.PINYIN
            self.host.open_entry(kind, N_("Describe it in a few words"), TEXT_FIELD, self.draft.text)

    def set_text(self, text: str) -> None:
        self.draft.text = text.strip()[:TEXT_LIMIT]
        self.draft.idempotency_key = None
        self.host.changed()

    @property
    def described(self) -> bool:
        return bool(self.draft.phrases or self.draft.text)

    def description_done(self) -> None:
        if self._at(Step.REQ_DESCRIBE) and self.described:
            self.host.touch()
            self.host.go(Step.REQ_PHOTO)

    # ---- contact and confidentiality ---------------------------------------------------------------

    @property
    def phone_needed(self) -> bool:
        return not self.draft.anonymous

    def enter_phone(self) -> None:
        if self._at(Step.REQ_CONTACT):
            self.host.open_entry(EntryKind.PHONE, N_("Your phone number"), PHONE_FIELD, self.draft.phone)

    def set_phone(self, phone: str) -> None:
        if phone != self.draft.phone:
            self.draft.idempotency_key = None
        self.draft.phone = phone
        self.host.changed()

    def set_confidential(self, confidential: bool) -> None:
        if self._at(Step.REQ_CONTACT):
            self.host.touch()
            if confidential != self.draft.confidential:
                self.draft.idempotency_key = None
            self.draft.confidential = confidential
            self.host.changed()

    @property
    def contact_complete(self) -> bool:
        return (bool(self.draft.phone) or not self.phone_needed) and self.draft.confidential is not None

    def contact_done(self) -> None:
        if self._at(Step.REQ_CONTACT) and self.contact_complete:
            self.host.touch()
            self.host.go(Step.REQ_CONFIRM)

    # ---- filing and the slip ------------------------------------------------------------------------

    def submit(self) -> None:
        """Confirm: file the request (one key per confirmation), then print its slip."""
        if not self._at(Step.REQ_CONFIRM):
            return
        self.host.touch()
        if self.draft.idempotency_key is None:
            self.draft.idempotency_key = self.host.new_key()
        self._file()

    def body(self) -> dict[str, Any]:
        """What POST /api/tickets is sent."""
        draft = self.draft
        return {
            "session_id": self.host.state.session_id, "idempotency_key": draft.idempotency_key,
            "category": draft.category.code if draft.category else "", "anonymous": draft.anonymous,
            "place": {"kind": draft.place_kind, "building": draft.building, "unit": draft.unit,
                      "landmark": draft.landmark},
            "phrases": list(draft.phrases), "text": draft.text,
            "phone": "" if draft.anonymous else draft.phone, "confidential": bool(draft.confidential),
            "photo_jpeg_base64": base64.b64encode(draft.photo).decode("ascii") if draft.photo else None,
        }

    def _file(self) -> None:
        body = self.body()
        self.host.set_retry(self._file)
        self.host.state.busy = SENDING
        self.host.changed()
        self.host.call(lambda: self.host.api.file_ticket(body), self._filed)

    def _filed(self, ticket: TicketView | None, error: StationError | None) -> None:
        if error is not None or ticket is None:
            self.host.fail(error)
            return
        self.draft.ticket, self.draft.slip_printed, self.draft.slip_problem = ticket, False, None
        self.host.set_retry(None)
        self.print_slip()

    def print_slip(self) -> None:
        """Print the slip (again, after a printer fault)."""
        ticket, session_id = self.draft.ticket, self.host.state.session_id
        if ticket is None or session_id is None or self.host.state.busy == PRINTING_SLIP:
            return
        self.host.touch()
        self.host.state.busy = PRINTING_SLIP
        self.host.changed()
        self.host.call(lambda: self.host.api.print_ticket_slip(ticket.ticket_no, session_id=session_id),
                       self._slip_printed)

    def _slip_printed(self, _view: TicketView | None, error: StationError | None) -> None:
        self.host.state.busy = None
        self.draft.slip_printed = error is None
        self.draft.slip_problem = Text.of(error.message) if error is not None else None
        self.host.go(Step.REQ_DONE)

    def finish(self) -> None:
        """Done: an identified resident with a closed request gets to rate it; then thanks."""
        session_id = self.host.state.session_id
        if self.host.state.identity is None or session_id is None:
            self.host.conclude()
            return
        self.host.touch()
        self.host.call(lambda: self.host.api.my_tickets(session_id), self._rateable)

    def _rateable(self, tickets: list[TicketView] | None, error: StationError | None) -> None:
        ticket = next((t for t in tickets or [] if t.can_rate), None)
        if error is not None or ticket is None:
            self.host.conclude()
            return
        self.host.offer_rating(RatingTarget("ticket", ticket.ticket_no, ticket.category_name,
                                            follow_up=ticket.follow_up))
