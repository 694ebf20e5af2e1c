"""我要反映: where exactly? A unit of the chosen building, or a landmark of the public area (or
neither: the whole building, somewhere else)."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.i18n import N_, _, translator

from .choices import ChoicesScreen


class RequestSpotScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (3, 2)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Requests: where exactly?")

    def render(self) -> None:
        draft = self.flow.state.request
        public = draft.place_kind == "public"
        self.ids.prompt.text = _("Near which place?") if public else _("Which unit?")
        self.ids.note.text = translator.pick(self.flow.requests.place_words())
        self.rebuild_if((draft.place_kind, draft.building), self._build)

    def _build(self) -> None:
        draft, places = self.flow.state.request, self.flow.state.request.places
        choose = self.flow.requests.choose_spot
        if places is None:
            return
        if draft.place_kind == "public":
            for landmark in places.landmarks:
                self.add_button(f"spot_{landmark.code}", translator.pick(landmark.name),
                                partial(choose, landmark.code))
            self.add_button("spot_none", _("Somewhere else"), lambda: choose(""))
            return
        building = places.building(draft.building)
        for unit in building.units if building else ():
            self.add_button(f"spot_{unit}", _("Unit {unit}").format(unit=unit), partial(choose, unit))
        self.add_button("spot_none", _("Outside, or the whole building"), lambda: choose(""))
