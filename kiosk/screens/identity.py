"""Confirm identity: the masked details read from the card (or the phone's resident code); "this
is me" or "not me". Decisions on the resident's applications that they have not been told yet
are told here, once: approved (collect it with the slip's QR) or refused, and why; and so is a
sign-up moved up from an activity's waiting list (the station reports each once)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import InfoCard

from .base import KioskScreen, load_kv

load_kv(__file__)


class IdentityScreen(KioskScreen):
    full_details = BooleanProperty(True)  # False while news is shown (the sex row makes room)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Please check your details")

    def render(self) -> None:
        identity = self.flow.state.identity
        self.ids.name.text = identity.name if identity else ""
        self.ids.sex.text = identity.sex if identity else ""
        self.ids.id_masked.text = identity.id_masked if identity else ""
        box = self.ids.outcomes
        box.clear_widgets()
        for index, outcome in enumerate(self.flow.state.outcomes):
            name = translator.pick(self.flow.identification.type_name(outcome.type_code))
            if outcome.approved:
                card = InfoCard(aid=f"outcome_{index}", tone="notice",
                                title=_("Your application for {name} was approved.").format(name=name),
                                note=_("To print it, scan the QR code on your application slip: "
                                       "Certificates, then Collect with an application slip."))
            else:
                card = InfoCard(aid=f"outcome_{index}", tone="notice",
                                title=_("Your application for {name} was not approved.").format(name=name),
                                note=_("Reason: {reason}").format(reason=outcome.reason or "—"))
            box.add_widget(card)
        for index, promotion in enumerate(self.flow.state.promotions):
            moved = _("You moved up from the waiting list and are now signed up: {activity}, {when}")
            box.add_widget(InfoCard(aid=f"promotion_{index}", tone="notice",
                                    title=moved.format(activity=promotion.title, when=promotion.when)))
        self.full_details = not box.children
        if not self.full_details:
            self.ids.sex.text = ""  # (its row is folded away)
