"""邻里一家亲: the resident's building group — its QR drawn large enough for a phone to scan, its
name, and how to join; a building without a group is told so plainly, and whom to ask."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator

from .base import KioskScreen, load_kv

load_kv(__file__)


class NeighbourGroupScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Neighbour group")
        self.can_back = False
        self._qr: str | None = None

    def voice_clip(self) -> str:
        """The group's instruction, or (no group) the clip that says the screen tells why."""
        return self.voice if self.flow.state.volunteer.group is not None else "error"

    def render(self) -> None:
        found, ids = self.flow.state.volunteer, self.ids
        group = found.group
        if group is not None:
            ids.prompt.text = _("Your building's neighbour group")
            ids.name.text = translator.pick(group.name)
            ids.note.text = _("Scan the code with WeChat on your phone to join the group.")
        else:
            ids.prompt.text = _("Your building has no neighbour group yet")
            ids.name.text = ""
            why = translator.pick(found.group_missing) if found.group_missing else ""
            gap = "" if translator.lang.startswith("zh") else " "  # (Chinese sentences run on)
            ids.note.text = (why + gap if why else "") + _(
                "Your building's group leader or the community service desk can help.")
        payload = group.qr_text if group else None
        if payload != self._qr:
            self._qr = payload
            ids.qr.show_qr(payload)

    def on_leave(self, *_args: Any) -> None:
        self._qr = None
        self.ids.qr.show_qr(None)
