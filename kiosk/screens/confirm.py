"""Confirm: a preview of the certificate (type, holder, purpose, validity, legal basis) and one
button that issues and prints it."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator

from .base import KioskScreen, load_kv

load_kv(__file__)


class ConfirmScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: check and print")

    def render(self) -> None:
        state, ids = self.flow.state, self.ids
        kind, identity = state.cert_type, state.identity
        purpose = kind.purpose(state.purpose or "") if kind else None
        ids.type_name.text = translator.pick(kind.name) if kind else ""
        ids.holder.text = f"{identity.name}   {identity.id_masked}" if identity else ""
        ids.purpose.text = translator.pick(purpose.name) if purpose else ""
        ids.validity.text = (_("{days} days from today").format(days=kind.validity_days)
                             if kind else "")
        ids.basis.text = translator.pick(kind.legal_basis) if kind else ""
        fields = kind.resident_fields if kind else ()
        ids.fields.text = "   ".join(f"{translator.pick(f.label)}: {state.fields.get(f.name, '')}"
                                     for f in fields)
        ids.fields_row.shown = bool(fields)
        approval = bool(kind and kind.approval)
        ids.confirm_print.text = _("Send the application") if approval else _("Confirm and print")
        ids.prompt.text = (_("Please check. Staff will review your application.") if approval
                           else _("Please check. The certificate will be printed with these details."))
