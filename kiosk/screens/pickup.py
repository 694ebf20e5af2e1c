"""取件: what became of the application — approved (print it now), not decided yet (come back
later), or not approved (and why)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator

from .base import KioskScreen, load_kv

load_kv(__file__)


class PickupScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Collect a certificate")

    def voice_clip(self) -> str:
        """Approved: say so; otherwise the error clip (the screen says why)."""
        state = self.flow.state
        return "pickup" if state.certificate is not None and state.pickup_problem is None else "error"

    def render(self) -> None:
        state, ids = self.flow.state, self.ids
        certificate, problem = state.certificate, state.pickup_problem
        approved = certificate is not None and problem is None
        ids.headline.text = (_("Your certificate is approved and ready to print.") if approved
                             else translator.pick(problem) if problem else "")
        ids.details.text = (f"{translator.pick(certificate.type_name)}   {certificate.holder_name}"
                            f"   {certificate.holder_id_masked}" if approved and certificate else "")
        ids.advice.text = ("" if approved else _("If you have questions, ask at the community service "
                                                  "desk in office hours, or call 12345."))
        ids.print_it.opacity = 1 if approved else 0
        ids.print_it.disabled = not approved
