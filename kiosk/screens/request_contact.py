"""我要反映: how to reach the resident (a phone number on the keypad; not asked when anonymous)
and whether the request is confidential (only the coordinating staff see who filed it; it never
appears on public lists)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _

from .base import KioskScreen, load_kv

load_kv(__file__)


def masked_phone(phone: str) -> str:
    """138****5678, as the station shows a sealed number."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else phone


class RequestContactScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Requests: how to reach you")

    def render(self) -> None:
        draft, ids = self.flow.state.request, self.ids
        needed = self.flow.requests.phone_needed
        ids.phone_label.text = (_("Your phone number, so the staff can call you back")
                                if needed else _("You file without your name: no phone number is needed."))
        ids.phone.text = draft.phone or _("Touch to enter your phone number")
        ids.phone.opacity, ids.phone.disabled = (1, False) if needed else (0, True)
        ids.private.chosen = draft.confidential is True
        ids.public.chosen = draft.confidential is False
        ids.next.disabled = not self.flow.requests.contact_complete
