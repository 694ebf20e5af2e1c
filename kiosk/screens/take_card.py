"""Take your ID card: the visit is over but the card still lies on the reader (left there, it
would identify the next person). Goes on by itself once the card is taken, or after a minute."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_

from .base import KioskScreen, load_kv

load_kv(__file__)


class TakeCardScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Please take your ID card")
        self.can_back = self.can_home = False
