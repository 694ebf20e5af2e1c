"""我要反映: filed. The ticket number, when to expect a reply, the slip's QR (also on the paper),
"saved at this kiosk, sent when the network is back" when offline, and — if the slip did not
print — why, with a button to print it again."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator

from .base import KioskScreen, load_kv

load_kv(__file__)


def local_time(iso: str) -> str:
    """2026-12-01T18:00:00+08:00 -> 2026-12-01 18:00 (the station gives Beijing time)."""
    return iso[:16].replace("T", " ") if len(iso) >= 16 else iso


class RequestDoneScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Requests: sent")
        self.can_back = False
        self._qr: str | None = None

    def render(self) -> None:
        draft, ids = self.flow.state.request, self.ids
        ticket = draft.ticket
        ids.number.text = _("Request No. {number}").format(number=ticket.ticket_no) if ticket else ""
        ids.reply.text = (_("Expect a reply by {time}").format(time=local_time(ticket.expected_reply_at))
                          if ticket and ticket.expected_reply_at else "")
        ids.status.text = translator.pick(ticket.status_words) if ticket and ticket.sent else ""
        ids.offline.text = ("" if not ticket or ticket.sent else
                            _("No network just now: your request is saved at this kiosk and will be sent "
                              "by itself. The slip says so too."))
        if draft.slip_printed:
            ids.slip.text = _("Please take your slip from the slot below the screen. Scan its QR code "
                              "here any time to see how it is going.")
        else:
            why = translator.pick(draft.slip_problem) if draft.slip_problem else ""
            ids.slip.text = _("The slip could not be printed: {why} Please write down the number, or "
                              "print it again.").format(why=why)
        ids.slip.shown = not self.flow.state.elderly or not draft.slip_printed
        ids.reprint.opacity, ids.reprint.disabled = (0, True) if draft.slip_printed else (1, False)
        token = ticket.slip_token if ticket else None
        if token != self._qr:
            self._qr = token
            ids.qr.show_qr(token)

    def on_leave(self, *_args: Any) -> None:
        self._qr = None
        self.ids.qr.show_qr(None)
