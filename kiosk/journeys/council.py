"""小区议事堂 — the compound council: after identifying, a resident sees their own compound's
proposals (support against the threshold, state, the council's decision; which ones their household
supports), supports one (once per household: the station refuses a second, shown in plain words),
prints one's status, or raises one: category, title and words (phrases, pinyin, handwriting),
a photo from the kiosk camera if they like, confirm, send with one idempotency key (a retry
re-sends it), a slip. A journey; Kivy-free.

    home → wait_card → identity → council → council_proposal (support, print)
                                          ↘ council_category → council_write → council_photo
                                            → council_confirm → council_done (slip)
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ..council_state import CouncilState
from ..dialogs import EntryKind, bilingual
from ..errors import StationError
from ..i18n import N_, translator
from ..records import Text
from ..records.council import CompoundProposals, Proposal
from ..state import Step
from .camera import CameraStep
from .host import JourneyHost
from .slips import Slipped, note_slip, record_then_print

log = logging.getLogger(__name__)

SERVICE = "council"
FIELD = "council:"  # the keyboard's field: council:title or council:text
TITLE_LIMIT, TEXT_LIMIT = 64, 500
LOOKING = N_("Looking up your compound's proposals…")
# Refusals the resident should read on the proposal's own screen (not the error screen).
REFUSALS = frozenset({"council.already_supported", "council.proposal_closed", "council.not_of_compound",
                      "council.proposal_not_found"})


class CouncilJourney:
    def __init__(self, host: JourneyHost) -> None:
        self.host = host
        self.camera = CameraStep(host, step=Step.COUNCIL_PHOTO, after=Step.COUNCIL_CONFIRM,
                                 draft=lambda: self.draft)

    @property
    def draft(self) -> CouncilState:
        return self.host.state.council

    def _at(self, step: Step) -> bool:
        return self.host.state.step is step and not self.host.state.busy

    def start(self) -> None:
        """Home: 小区议事堂: identify first (the proposals shown are of one's own compound)."""
        if self.host.state.step not in (Step.HOME, Step.ATTRACT, Step.COMMUNITY) or self.host.state.busy:
            return
        api = self.host.api
        self.host.begin(SERVICE, lambda: (api.council_categories(), api.ticket_categories()), self._loaded)

    def _loaded(self, value: tuple[list, list]) -> None:
        categories, ticket_categories = value
        self.draft.categories = categories
        codes = {c.code for c in categories}
        self.draft.phrases = {t.code: t for t in ticket_categories if t.code in codes}
        self.host.await_identity()

    def identified(self) -> None:
        """The resident confirmed who they are: their compound's proposals."""
        session_id = self.host.state.session_id
        if session_id is None:
            return
        self.host.set_retry(self.identified)
        self.host.state.busy = LOOKING
        self.host.changed()
        self.host.call(lambda: self.host.api.council_mine(session_id), self._listed)

    def _listed(self, found: CompoundProposals | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or found is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        self.draft.compound, self.draft.compound_name = found.compound, found.name
        self.draft.proposals = list(found.proposals)
        self.host.go(Step.COUNCIL)

    # ---- one proposal: support, print -----------------------------------------------------------

    def show(self, proposal_id: str) -> None:
        """Council: one proposal in full."""
        chosen = next((p for p in self.draft.proposals if p.id == proposal_id), None)
        if self._at(Step.COUNCIL) and chosen is not None:
            self.host.touch()
            self.draft.proposal, self.draft.message, self.draft.refused = chosen, None, False
            self.host.go(Step.COUNCIL_PROPOSAL)

    def can_support(self) -> bool:
        shown = self.draft.proposal
        return shown is not None and shown.state == "open" and not shown.supported

    def support(self) -> None:
        """Proposal: my household supports it (once; the station refuses a second)."""
        session_id, shown = self.host.state.session_id, self.draft.proposal
        if not self._at(Step.COUNCIL_PROPOSAL) or shown is None or session_id is None:
            return
        self.host.touch()
        self.host.state.busy = N_("Adding your support…")
        self.host.changed()
        self.host.call(lambda: self.host.api.support_proposal(shown.id, session_id=session_id),
                       self._supported)

    def _supported(self, updated: Proposal | None, error: StationError | None) -> None:
        self.host.state.busy = None
        shown = self.draft.proposal
        if error is not None and error.code in REFUSALS and shown is not None:
            self.draft.message, self.draft.refused = Text.of(error.message), True
            if error.code == "council.already_supported":
                self._replace(replace(shown, supported=True))
            self.host.changed()
            self._refresh()  # the station knew more than this screen: show its numbers
            return
        if error is not None or updated is None:
            self.host.fail(error)
            return
        self._replace(replace(updated, supported=True))
        self.draft.message = bilingual(N_("Thank you: your household supports it."))
        self.draft.refused = False
        self.host.changed()

    def _refresh(self) -> None:
        session_id = self.host.state.session_id
        if session_id is not None:
            self.host.call(lambda: self.host.api.council_mine(session_id), self._refreshed)

    def _refreshed(self, found: CompoundProposals | None, error: StationError | None) -> None:
        if error is not None or found is None:
            log.info("proposals not refreshed: %s", error)  # the refusal already says enough
            return
        self.draft.proposals = list(found.proposals)
        shown = self.draft.proposal
        self.draft.proposal = next((p for p in found.proposals if shown and p.id == shown.id), shown)
        self.host.changed()

    def _replace(self, proposal: Proposal) -> None:
        self.draft.proposal = proposal
        self.draft.proposals = [proposal if p.id == proposal.id else p for p in self.draft.proposals]

    def print_status(self) -> None:
        """Proposal: print its status and the council's decision."""
        shown = self.draft.proposal
        if not self._at(Step.COUNCIL_PROPOSAL) or shown is None:
            return
        self.host.touch()
        self.host.state.busy = N_("Printing…")
        self.host.changed()
        self.host.call(lambda: self.host.api.print_proposal(shown.id), self._printed)

    def _printed(self, _value: object, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None:
            self.draft.message, self.draft.refused = Text.of(error.message), True
        else:
            self.draft.message, self.draft.refused = bilingual(N_("Please take your slip.")), False
        self.host.changed()

    # ---- raising one ----------------------------------------------------------------------------

    def raise_new(self) -> None:
        """Council: raise a proposal (only a resident registered in a compound)."""
        if self._at(Step.COUNCIL) and self.draft.compound:
            self.host.touch()
            self.host.go(Step.COUNCIL_CATEGORY)

    def choose_category(self, code: str) -> None:
        if self._at(Step.COUNCIL_CATEGORY) and any(c.code == code for c in self.draft.categories):
            self.host.touch()
            if code != self.draft.category:
                self.draft.category, self.draft.chosen, self.draft.idempotency_key = code, [], None
            self.host.go(Step.COUNCIL_WRITE)

    def phrases(self) -> list[tuple[str, Text]]:
        found = self.draft.phrases.get(self.draft.category)
        return [(p.code, p.text) for p in found.phrases] if found else []

    def toggle_phrase(self, code: str) -> None:
        if not self._at(Step.COUNCIL_WRITE) or code not in dict(self.phrases()):
            return
        self.host.touch()
        chosen = self.draft.chosen
        chosen.remove(code) if code in chosen else chosen.append(code)
        self.draft.idempotency_key = None
        self.host.changed()

    def write(self, which: str) -> None:
        """Write: the keyboard for the title or the words (pinyin and handwriting, or letters in English)."""
        if not self._at(Step.COUNCIL_WRITE) or which not in ("title", "text"):
            return
        kind = EntryKind.ENGLISH if translator.lang == "en" else EntryKind.PINYIN
        prompt = N_("The proposal's title") if which == "title" else N_("Your proposal in a few words")
        self.host.open_entry(kind, prompt, FIELD + which, getattr(self.draft, which))

    def set_entry(self, field: str, text: str) -> None:
        """The keyboard closed on ``field`` (council:title or council:text)."""
        which = field.removeprefix(FIELD)
        if which == "title":
            self.draft.title = text.strip()[:TITLE_LIMIT]
        elif which == "text":
            self.draft.text = text.strip()[:TEXT_LIMIT]
        self.draft.idempotency_key = None
        self.host.changed()

    def composed(self) -> tuple[str, str]:
        """The title and text as sent: the chosen phrases (in Chinese, as staff read them) lead the
        text; with no title written, the first phrase is the title."""
        said = dict(self.phrases())
        phrases = [said[c].zh for c in self.draft.chosen if c in said]
        title = self.draft.title or (phrases[0] if phrases else "")
        text = "；".join([*phrases, self.draft.text] if self.draft.text else phrases)
        return title[:TITLE_LIMIT], text[:2000]

    def write_done(self) -> None:
        """Write: on to the photo (optional; ``self.camera`` takes it and goes on to confirm)."""
        if self._at(Step.COUNCIL_WRITE) and self.composed()[0]:
            self.host.touch()
            self.host.go(Step.COUNCIL_PHOTO)

    def send(self) -> None:
        """Confirm: raise it (one key per proposal, kept for a retry) and print its slip."""
        state = self.host.state
        if state.step not in (Step.COUNCIL_CONFIRM, Step.ERROR) or state.busy or state.session_id is None:
            return
        self.host.touch()
        session_id, (title, text) = state.session_id, self.composed()
        compound, category, photo = self.draft.compound, self.draft.category, self.draft.photo
        key = self.draft.idempotency_key = self.draft.idempotency_key or self.host.new_key()
        self.host.set_retry(self.send)
        state.busy = N_("Sending your proposal…")
        self.host.changed()

        self.host.call(lambda: record_then_print(
            lambda: self.host.api.raise_proposal(session_id=session_id, compound=compound, category=category,
                                                 title=title, text=text, idempotency_key=key, photo=photo),
            lambda raised: self.host.api.print_proposal(raised.id), "proposal"), self._sent)

    def _sent(self, value: Slipped[Proposal] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or value is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        raised = value.record
        self.draft.raised = replace(raised, supported=True)
        self.draft.proposals = [self.draft.raised, *[p for p in self.draft.proposals if p.id != raised.id]]
        note_slip(self.draft, value.slip_error)
        self.draft.category, self.draft.chosen, self.draft.title, self.draft.text = "", [], "", ""
        self.draft.photo = self.draft.preview = self.draft.photo_problem = None
        self.draft.idempotency_key = None
        self.host.go(Step.COUNCIL_DONE)
