"""社区组织 — grassroots organisations: the community's approved ones (what they do, how to join)
without identifying; 申请备案, filing one with the identified resident as its leader; and the
resident's own filings with where each stands. A journey (``kiosk.journeys``); Kivy-free.

    home → orgs ─(申请备案)→ wait_card → identity → org_kind → org_form (name, phone, members,
        usual activities) → org_confirm ─(send)→ org_done (application number, slip) → thanks
    orgs ─(我的申请)→ wait_card → identity → org_mine

One idempotency key per filing: a failed or lost answer is retried with the same key, so the
station returns the same filing rather than making a second one. Changing anything makes a new key.
"""

from __future__ import annotations

from typing import Any

from ..community_state import OrganisationsState, OrgDraft
from ..dialogs import EntryKind
from ..errors import StationError
from ..i18n import N_, translator
from ..records import Text
from ..records.organisations import Organisation, OrgKind
from ..state import Step
from .host import JourneyHost
from .slips import Slipped, note_slip, record_then_print

SERVICE = "organisations"
FIELD = "org:"  # the keyboards' fields: org:name, org:phone, org:members, org:activities
LOADING = N_("Looking up the organisations…")
SENDING = N_("Sending your filing and printing the slip…")
NAME_LIMIT, ACTIVITIES_LIMIT = 64, 500
# What the resident is asked for each field (the keyboard's prompt).
PROMPTS: dict[str, str] = {
    "name": N_("The organisation's name"),
    "phone": N_("The leader's phone number"),
    "members": N_("How many members?"),
    "activities": N_("What does it usually do?"),
}
# Where a filing stands, as the resident reads it.
STATES: dict[str, str] = {
    "applied": N_("Under review"),
    "more_info": N_("More information needed"),
    "approved": N_("Approved"),
    "refused": N_("Not approved"),
}


class OrganisationsJourney:
    """The organisations' steps; the flow routes the keyboards' ``org:`` fields here."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host

    @property
    def data(self) -> OrganisationsState:
        return self.host.state.organisations

    @property
    def draft(self) -> OrgDraft:
        return self.data.draft

    def _at(self, step: Step) -> bool:
        return self.host.state.step is step and not self.host.state.busy

    def start(self) -> None:
        """Home: 社区组织: the approved organisations and the kinds (no identity needed)."""
        state = self.host.state
        if state.step not in (Step.HOME, Step.ATTRACT, Step.COMMUNITY) or state.busy:
            return
        self.host.touch()
        state.service, state.busy = SERVICE, LOADING
        self.host.set_retry(None)
        self.host.changed()
        api = self.host.api
        self.host.call(lambda: (api.organisations(), api.organisation_kinds()), self._listed)

    def _listed(self, found: tuple[list[Organisation], list[OrgKind]] | None,
                error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or found is None:
            self.host.fail(error)
            return
        self.data.approved, self.data.kinds = found
        self.host.go(Step.ORGS)

    # ---- identifying ----------------------------------------------------------------------------

    def apply(self) -> None:
        """Orgs: 申请备案: identify first (the resident becomes the leader)."""
        self._identify(mine=False)

    def mine(self) -> None:
        """Orgs: my applications: identify first."""
        self._identify(mine=True)

    def _identify(self, *, mine: bool) -> None:
        state = self.host.state
        if not self._at(Step.ORGS):
            return
        self.data.wants_mine = mine
        if state.identity is not None and state.session_id is not None:
            self.identified()  # identified earlier in this visit
            return
        kept = self.data
        state.step = Step.HOME  # begin() starts from home, as a tile would
        self.host.begin(SERVICE, lambda: None, lambda _none: self._await(kept))

    def _await(self, kept: OrganisationsState) -> None:
        self.host.state.organisations = kept
        self.host.await_identity()

    def identified(self) -> None:
        """The resident confirmed who they are: list their filings, or begin one."""
        if self.data.wants_mine:
            self._list_mine()
            return
        self.data.draft, self.data.filed = OrgDraft(), None
        self.host.go(Step.ORG_KIND)

    # ---- filing ---------------------------------------------------------------------------------

    def choose_kind(self, code: str) -> None:
        if not self._at(Step.ORG_KIND) or code not in {k.code for k in self.data.kinds}:
            return
        self.host.touch()
        if code != self.draft.kind:
            self.draft.idempotency_key = None
        self.draft.kind = code
        self.host.go(Step.ORG_FORM)

    def kind_name(self, code: str) -> Text:
        found = next((k.name for k in self.data.kinds if k.code == code), None)
        return found or Text(code, code)

    def enter(self, name: str) -> None:
        """Org form: open the keyboard for one field (letters or handwriting, or the keypad)."""
        if not self._at(Step.ORG_FORM) or name not in PROMPTS:
            return
        if name == "phone":
            kind = EntryKind.PHONE
        elif name == "members":
            kind = EntryKind.COUNT
        else:
            kind = EntryKind.ENGLISH if translator.lang == "en" else EntryKind.PINYIN
        self.host.open_entry(kind, PROMPTS[name], FIELD + name, str(getattr(self.draft, name)))

    def set_field(self, name: str, text: str) -> None:
        """The keyboard closed with ``text`` for ``name``."""
        if name not in PROMPTS:
            return
        limit = {"name": NAME_LIMIT, "activities": ACTIVITIES_LIMIT}.get(name, 12)
        value = " ".join(text.split())[:limit]
        if value != getattr(self.draft, name):
            self.draft.idempotency_key = None  # a different filing
        setattr(self.draft, name, value)
        self.host.changed()

    @property
    def missing(self) -> list[str]:
        """The fields still to fill (their prompts' keys), in the form's order."""
        draft = self.draft
        return [name for name in PROMPTS
                if not getattr(draft, name) or (name == "name" and len(draft.name) < 2)]

    def review(self) -> None:
        """Org form: everything is filled: check it before sending."""
        if self._at(Step.ORG_FORM) and not self.missing:
            self.host.touch()
            self.host.go(Step.ORG_CONFIRM)

    def submit(self) -> None:
        """Org confirm: send the filing (one key per filing) and print its slip."""
        if not self._at(Step.ORG_CONFIRM) or self.missing or self.host.state.session_id is None:
            return
        self.host.touch()
        if self.draft.idempotency_key is None:
            self.draft.idempotency_key = self.host.new_key()
        self._send()

    def body(self) -> dict[str, Any]:
        """What POST /api/organisations is sent."""
        draft = self.draft
        return {"session_id": self.host.state.session_id, "idempotency_key": draft.idempotency_key,
                "name": draft.name, "kind": draft.kind, "phone": draft.phone,
                "members": int(draft.members), "activities": draft.activities}

    def _send(self) -> None:
        body, session_id = self.body(), str(self.host.state.session_id)
        self.host.set_retry(self._send)  # the same key: the station answers with the same filing
        self.host.state.busy = SENDING
        self.host.changed()
        self.host.call(lambda: record_then_print(
            lambda: self.host.api.file_organisation(body),
            lambda filed: self.host.api.print_organisation_slip(filed.id, session_id=session_id),
            "organisation"), self._sent)

    def _sent(self, value: Slipped[Organisation] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or value is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        self.data.filed = value.record
        note_slip(self.data, value.slip_error)
        self.host.go(Step.ORG_DONE)

    # ---- one's filings --------------------------------------------------------------------------

    def _list_mine(self) -> None:
        session_id = self.host.state.session_id
        if session_id is None:
            return
        self.host.set_retry(self._list_mine)
        self.host.state.busy = LOADING
        self.host.changed()
        self.host.call(lambda: self.host.api.my_organisations(session_id), self._mine_listed)

    def _mine_listed(self, found: list[Organisation] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or found is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        self.data.mine = found
        self.host.go(Step.ORG_MINE)


def state_words(organisation: Organisation) -> str:
    """The msgid of where a filing stands (审核中 / 需补充 / 已通过 / 未通过)."""
    return STATES.get(organisation.state, STATES["applied"])
