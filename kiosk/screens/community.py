"""社区生活: the community's own services in one place, one big button each — the compound council,
community organisations, the open accounts and the building's neighbour group. Home keeps one
button for them (and 社区活动 and 志愿者签到 of their own), so its six service tiles keep their size."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _

from .choices import ChoicesScreen


class CommunityScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Community life")

    def render(self) -> None:
        self.ids.prompt.text = _("What would you like to do?")
        self.ids.note.text = _(
            "Proposals, groups, accounts and your building's group are for this community.")
        self.rebuild_if("community", self._build)

    def _build(self) -> None:
        flow = self.flow
        for aid, words, start in (
                ("community_council", N_("Compound council"), flow.council.start),
                ("community_organisations", N_("Community organisations"), flow.organisations.start),
                ("community_accounts", N_("Open accounts"), flow.accounts.start),
                ("community_neighbours", N_("Neighbour group"), flow.neighbours.start)):
            self.add_button(aid, _(words), start, kind="primary")
