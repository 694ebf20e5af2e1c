"""我要反映: where is it? The community's buildings (from the register) or the public area."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.i18n import N_, _, translator

from .choices import ChoicesScreen


class RequestPlaceScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (4, 2)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Requests: where is it?")

    def render(self) -> None:
        self.ids.prompt.text = _("Where is it?")
        note = _("A building, or somewhere in the public area.")
        self.ids.note.text = "" if self.flow.state.elderly else note
        places = self.flow.state.request.places
        key = tuple(b.code for b in places.buildings) if places else ()
        self.rebuild_if(key, lambda: self._build(places))

    def _build(self, places: Any) -> None:
        if places is None:
            return
        requests = self.flow.requests
        self.add_button("place_public", translator.pick(places.public_name), requests.choose_public,
                        kind="primary")
        for building in places.buildings:
            self.add_button(f"building_{building.code}", translator.pick(building.name),
                            partial(requests.choose_building, building.code))
