"""信酬制 — open property accounts: after identifying, an owner sees their compound's month (totals
by category as bars, the entries, the balance), moves between the published months and prints the
statement; anyone else learns only which compounds publish. A journey; Kivy-free.

    home → wait_card → identity → accounts (owner) | accounts_public (not an owner here)
"""

from __future__ import annotations

import logging

from ..community_state import AccountsState
from ..errors import StationError
from ..i18n import N_
from ..records import AccountsMonth, PublishingCompound, Text
from ..state import Step
from .host import JourneyHost

log = logging.getLogger(__name__)

SERVICE = "accounts"
NOT_OWNER = "accounts.not_owner"
LOOKING = N_("Looking up the accounts…")

Found = tuple[str, list[str], AccountsMonth | None]  # compound, its months, the latest one


class AccountsJourney:
    def __init__(self, host: JourneyHost) -> None:
        self.host = host

    @property
    def draft(self) -> AccountsState:
        return self.host.state.accounts

    def start(self) -> None:
        """Home: 收支公开: identify first (who owns where decides what is shown)."""
        if self.host.state.step not in (Step.HOME, Step.ATTRACT, Step.COMMUNITY) or self.host.state.busy:
            return
        self.host.begin(SERVICE, self.host.api.accounts_published, self._loaded)

    def _loaded(self, publishing: list[PublishingCompound]) -> None:
        self.draft.publishing = publishing
        self.host.await_identity()

    def identified(self) -> None:
        """The resident confirmed who they are: find their compound among those that publish."""
        session_id = self.host.state.session_id
        if session_id is None:
            return
        compounds = [p.compound for p in self.draft.publishing]
        self.host.set_retry(self.identified)
        self.host.state.busy = LOOKING
        self.host.changed()
        self.host.call(lambda: self._find(compounds, session_id), self._found)

    def _find(self, compounds: list[str], session_id: str) -> Found:
        api = self.host.api
        for compound in compounds:
            try:
                months = api.accounts_months(compound, session_id=session_id)
            except StationError as err:
                if err.code == NOT_OWNER:
                    continue  # an owner elsewhere, or not an owner
                raise
            latest = api.accounts_month(compound, months[0], session_id=session_id) if months else None
            return compound, months, latest
        return "", [], None

    def _found(self, value: Found | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or value is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        self.draft.compound, self.draft.months, self.draft.month = value
        self.host.go(Step.ACCOUNTS if value[2] is not None else Step.ACCOUNTS_PUBLIC)

    def other_month(self, offset: int) -> None:
        """Accounts: an earlier (+1) or later (-1) published month."""
        state, shown = self.host.state, self.draft.month
        if state.step is not Step.ACCOUNTS or shown is None or state.busy or state.session_id is None:
            return
        at = self.draft.months.index(shown.month) + offset if shown.month in self.draft.months else -1
        if not 0 <= at < len(self.draft.months):
            return
        self.host.touch()
        compound, month, session_id = self.draft.compound, self.draft.months[at], state.session_id
        state.busy = LOOKING
        self.host.changed()
        self.host.call(lambda: self.host.api.accounts_month(compound, month, session_id=session_id),
                       self._month)

    def can_move(self, offset: int) -> bool:
        shown = self.draft.month
        if shown is None or shown.month not in self.draft.months:
            return False
        return 0 <= self.draft.months.index(shown.month) + offset < len(self.draft.months)

    def _month(self, month: AccountsMonth | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or month is None:
            self.host.fail(error)
            return
        self.draft.month, self.draft.printed, self.draft.print_problem = month, False, None
        self.host.changed()

    def print_statement(self) -> None:
        """Accounts: print the month's statement."""
        state, shown = self.host.state, self.draft.month
        if state.step is not Step.ACCOUNTS or shown is None or state.busy or state.session_id is None:
            return
        self.host.touch()
        compound, month, session_id = shown.compound, shown.month, state.session_id
        state.busy = N_("Printing…")
        self.host.changed()
        self.host.call(lambda: self.host.api.print_statement(compound, month, session_id=session_id),
                       self._printed)

    def _printed(self, _value: object, error: StationError | None) -> None:
        self.host.state.busy = None
        self.draft.printed = error is None
        self.draft.print_problem = Text.of(error.message) if error is not None else None
        self.host.changed()
