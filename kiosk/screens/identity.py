"""Confirm identity: the masked details read from the card; "this is me" or "not me"."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_

from .base import KioskScreen, load_kv

load_kv(__file__)


class IdentityScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Please check your details")

    def render(self) -> None:
        identity = self.flow.state.identity
        self.ids.name.text = identity.name if identity else ""
        self.ids.sex.text = identity.sex if identity else ""
        self.ids.id_masked.text = identity.id_masked if identity else ""
