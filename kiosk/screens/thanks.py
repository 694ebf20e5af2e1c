"""Thank you: after a finished service, a friendly word and a reminder, then home by itself. (The
rating screen of the requests issue comes before it: see ``KioskFlow.finish``.)"""

from __future__ import annotations

import math
from typing import Any

from kiosk.i18n import N_, _

from .base import KioskScreen, load_kv

load_kv(__file__)


class ThanksScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Thank you")
        self.can_back = False

    def render(self) -> None:
        self.tick()

    def tick(self) -> None:
        remaining = self.flow.timers.auto_remaining()
        seconds = math.ceil(remaining) if remaining is not None else 0
        self.ids.countdown.text = _("Back to the home screen in {seconds} s").format(seconds=seconds)
