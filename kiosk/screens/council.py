"""小区议事堂: the resident's compound's proposals, latest first — each its title and category, support
against the threshold, state, and the council's decision when there is one; a tick marks those the
household supports. Touch one to support or print it; "Raise a proposal" below."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.records.council import Proposal
from kiosk.ui.widgets import ChoiceButton, KioskButton, KLabel

from .choices import ChoicesScreen


def category_name(flow: Any, code: str) -> str:
    found = next((c for c in flow.state.council.categories if c.code == code), None)
    return translator.pick(found.name) if found else code


def labelled(template: str, value: str) -> str:
    """A translated "Label: {value}" filled in (each language with its own colon)."""
    return template.format(value=value)


def households(proposal: Proposal) -> str:
    return _("{count} of {needed} households").format(count=proposal.supporters, needed=proposal.threshold)


def support_line(proposal: Proposal) -> str:
    return labelled(_("Support: {value}"), households(proposal))


def summary(flow: Any, proposal: Proposal) -> str:
    """Two or three lines: title · category; support · state; the decision (shortened)."""
    lines = [f"{proposal.title} · {category_name(flow, proposal.category)}",
             f"{support_line(proposal)} · {translator.pick(proposal.state_words)}"]
    if proposal.supported:
        lines[1] += " · " + _("Your household supports it")
    if proposal.decision:
        decision = proposal.decision if len(proposal.decision) <= 40 else proposal.decision[:40] + "…"
        lines.append(labelled(_("Decision: {value}"), decision))
    return "\n".join(lines)


class CouncilScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Compound council")
        self._raise = KioskButton(aid="council_raise")
        self._raise.bind(on_release=lambda _b: self.flow.council.raise_new())
        self.ids.footer.add_widget(self._raise)

    def render(self) -> None:
        draft = self.flow.state.council
        name = translator.pick(draft.compound_name) if draft.compound_name else ""
        if not draft.compound:
            self.ids.prompt.text = _("Only residents registered in a compound can take part in its council.")
        elif draft.proposals:
            self.ids.prompt.text = _("Proposals in {compound}").format(compound=name)
        else:
            self.ids.prompt.text = _("No proposals in {compound} yet.").format(compound=name)
        self.ids.note.text = ("" if self.flow.state.elderly or not draft.proposals
                              else _("Touch a proposal to support it or print it. ✓ marks those your "
                                     "household supports."))
        self._raise.text = _("Raise a proposal")
        self._raise.disabled = not draft.compound
        shown = tuple((p.id, p.supporters, p.state, p.supported, p.decision) for p in draft.proposals)
        self.rebuild_if(shown, lambda: self._build(draft.proposals))

    def _build(self, proposals: list[Proposal]) -> None:
        for proposal in proposals:
            button = ChoiceButton(aid=f"proposal_{proposal.id}", label=summary(self.flow, proposal),
                                  chosen=proposal.supported, halign="left")
            button.bind(on_release=lambda _b, p=proposal.id: self.flow.council.show(p))
            self.ids.grid.add_widget(button)
        if not proposals and self.flow.state.council.compound:
            self.ids.grid.add_widget(KLabel(aid="council_empty", text=_(
                "Something in your compound that the neighbours should decide together? Raise it here.")))
