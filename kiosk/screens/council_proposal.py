"""小区议事堂: one proposal — category, support against the threshold, state, the meeting and the
council's decision, the words; "Support" (once per household: a refusal is said here in plain
words) and "Print"."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton, KLabel

from .choices import ChoicesScreen
from .council import category_name, households, labelled
from .council_write import shortened


class CouncilProposalScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Compound council: a proposal")
        self._print = KioskButton(aid="proposal_print", kind="secondary")
        self._print.bind(on_release=lambda _b: self.flow.council.print_status())
        self._support = KioskButton(aid="proposal_support")
        self._support.bind(on_release=lambda _b: self.flow.council.support())
        self.ids.footer.add_widget(self._print)
        self.ids.footer.add_widget(self._support)

    def render(self) -> None:
        draft = self.flow.state.council
        proposal = draft.proposal
        if proposal is None:
            return
        self.ids.prompt.text = proposal.title
        self.ids.note.text = translator.pick(draft.message) if draft.message else ""
        self.ids.note.style = "danger" if draft.refused else "large"
        self._print.text = _("Print its status")
        supported = proposal.supported
        self._support.text = _("Your household supports it") if supported else _("Support it")
        self._support.disabled = not self.flow.council.can_support()
        lines = [
            (_("Category: {value}"), category_name(self.flow, proposal.category)),
            (_("Status: {value}"), translator.pick(proposal.state_words)),
            (_("Support: {value}"), households(proposal)),
            (_("Council meeting: {value}"), proposal.meeting),
            (_("Decision: {value}"), proposal.decision),
            (_("Details: {value}"), shortened(proposal.text, 160)),
        ]
        self.rebuild_if((proposal, tuple(lines)), lambda: self._build(lines))

    def _build(self, lines: list[tuple[str, str]]) -> None:
        """Two blocks: what matters most (category, state, support) large, then the rest."""
        said = [labelled(label, value) for label, value in lines if value]
        for at, block in enumerate((said[:3], said[3:])):
            if block:
                self.ids.grid.add_widget(KLabel(aid=f"proposal_lines_{at}", text="\n".join(block),
                                                style="large" if at == 0 else "body"))
