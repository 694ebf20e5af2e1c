"""社区活动: the community's upcoming activities, soonest first — touch one to see it; "My sign-ups"
below (after identifying) to see or cancel one's own."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _
from kiosk.records import Activity
from kiosk.ui import theme
from kiosk.ui.widgets import KioskButton, Tile

from .choices import ChoicesScreen


def places_line(activity: Activity) -> str:
    """How many places are left, or that it is full (the waiting list is open)."""
    if activity.full:
        return _("Full: waiting list open ({count} waiting)").format(count=activity.waiting)
    return _("{left} of {capacity} places left").format(left=activity.places_left,
                                                         capacity=activity.capacity)


class ActivitiesScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Community activities")
        mine = KioskButton(aid="activities_mine", kind="secondary")
        mine.bind(on_release=lambda _b: self.flow.activities.mine())
        self.ids.footer.add_widget(mine)

    def render(self) -> None:
        found = self.flow.state.activities.activities
        self.ids.prompt.text = (_("Coming up in your community. Touch one to see it and sign up.")
                                if found else _("No activities are planned just now."))
        self.ids.note.text = _("You can scan your activity ticket here to check in.")
        self.ids.footer.children[0].text = _("My sign-ups")
        self.rebuild_if(tuple((a.id, a.places_left, a.full) for a in found), lambda: self._build(found))

    def _build(self, found: list[Activity]) -> None:
        for activity in found:
            tile = Tile(aid=f"activity_{activity.id}", size_hint_y=None, height=theme.px(150),
                        title=f"{activity.title} · {activity.when_text}",
                        note=f"{activity.place} · {places_line(activity)}")
            tile.bind(on_release=lambda _t, a=activity.id: self.flow.activities.show(a))
            self.ids.grid.add_widget(tile)
