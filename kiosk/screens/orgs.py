"""社区组织: the community's approved organisations — each with what it does (kind, usual
activities) and how to join; the list scrolls. 申请备案 and 我的申请 below (both identify first)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.records.organisations import Organisation
from kiosk.ui.widgets import InfoCard, KioskButton

from .choices import ChoicesScreen


def joining(organisation: Organisation) -> str:
    """What it does and how to join, as the card's second part."""
    how = organisation.how_to_join or _("Ask at the community service desk.")
    return "\n".join((
        _("Usually: {activities}").format(activities=organisation.activities),
        _("How to join: {how}").format(how=how),
        _("{count} members").format(count=organisation.members),
    ))


class OrgsScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Community organisations")
        self._apply = KioskButton(aid="orgs_apply")
        self._apply.bind(on_release=lambda _b: self.flow.organisations.apply())
        self._mine = KioskButton(aid="orgs_mine", kind="secondary")
        self._mine.bind(on_release=lambda _b: self.flow.organisations.mine())
        self.ids.footer.add_widget(self._mine)
        self.ids.footer.add_widget(self._apply)

    def render(self) -> None:
        found = self.flow.state.organisations.approved
        self.ids.prompt.text = (_("Groups in your community you can join") if found
                                else _("No organisations are registered here yet."))
        self.ids.note.text = _("To start a group of your own, touch File an organisation.")
        self._apply.text = _("File an organisation")
        self._mine.text = _("My applications")
        self.rebuild_if(tuple(o.id for o in found), lambda: self._build(found))

    def _build(self, found: list[Organisation]) -> None:
        for organisation in found:
            kind = translator.pick(organisation.kind_words)
            self.ids.grid.add_widget(InfoCard(
                aid=f"org_{organisation.id}", title=f"{organisation.name} · {kind}",
                note=joining(organisation)))
