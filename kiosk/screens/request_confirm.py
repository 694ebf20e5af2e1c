"""我要反映: check everything before sending — what, where, the words, the photo, the phone (masked),
confidential or not, and who (or "without your name")."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator

from .base import KioskScreen, load_kv
from .request_contact import masked_phone

load_kv(__file__)


class RequestConfirmScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Requests: check and send")

    def render(self) -> None:
        state, ids = self.flow.state, self.ids
        draft = state.request
        category = draft.category
        ids.category.text = translator.pick(category.name) if category else ""
        ids.place.text = translator.pick(self.flow.requests.place_words())
        phrases = [translator.pick(p.text) for code in draft.phrases
                   if category and (p := category.phrase(code)) is not None]
        words = "；".join(phrases) if translator.lang.startswith("zh") else "; ".join(phrases)
        ids.words.text = " ".join(filter(None, [words, draft.text]))[:160]
        ids.photo.text = _("Attached") if draft.photo else _("None")
        who = _("Without your name") if draft.anonymous else (state.identity.name if state.identity else "")
        phone = masked_phone(draft.phone) if draft.phone and not draft.anonymous else ""
        ids.who.text = "   ".join(filter(None, [who, phone]))
        ids.private.text = _("Confidential") if draft.confidential else _("Not confidential")
