"""Verify a certificate, step 2: the verdict in plain words, with an icon and a banner colour that
only repeat what the words say. The details to compare with the paper show for a genuine
certificate only; what a refused code claims about itself is never shown."""

from __future__ import annotations

import math
from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.journeys.verify import verdict_view
from kiosk.ui.images import image

from .base import KioskScreen, load_kv

load_kv(__file__)


class VerifyResultScreen(KioskScreen):
    tone = ""

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Verify a certificate: the result")

    def render(self) -> None:
        result, ids = self.flow.state.verification, self.ids
        if result is None:
            ids.headline.text = ids.explanation.text = ""
            ids.details.opacity = 0
            return
        view = verdict_view(result)
        ids.banner.tone, ids.icon.source = view.tone, image(view.icon)
        ids.headline.text, ids.explanation.text = _(view.headline), _(view.explanation)
        claims = result.claims if view.show_details else None
        ids.details.opacity = 1 if claims else 0
        if claims is not None:
            journey = self.flow.verify
            name = translator.pick(journey.type_name(claims.type_code)) or claims.type_code
            purpose = translator.pick(journey.purpose_name(claims.type_code, claims.purpose))
            # Elderly mode: the type alone, on one line (fewer words, larger letters).
            shown_purpose = purpose and not self.flow.state.elderly
            ids.type_name.text = name + (f" · {purpose}" if shown_purpose else "")
            ids.holder.text = claims.holder_name
            ids.holder_id.text = claims.holder_id_masked
            ids.serial.text = claims.serial
            ids.dates.text = _("{issued} to {expires}").format(issued=claims.issued_at[:10],
                                                                  expires=claims.expires_at[:10])
        self.tick()

    def voice_clip(self) -> str:
        result = self.flow.state.verification
        return f"verdict_{result.verdict}" if result else ""

    def tick(self) -> None:
        remaining = self.flow.timers.auto_remaining()
        seconds = math.ceil(remaining) if remaining is not None else 0
        self.ids.countdown.text = _("Back to the home screen in {seconds} s").format(seconds=seconds)
