"""Emergency mode (战时): the emergency's message and notices (read aloud), 紧急求助 (the hotline,
shown and printed) and 志愿者报到 (a volunteer checks in to a task group)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.widget import Widget

from kiosk.i18n import N_, _, translator
from kiosk.ui.style import S
from kiosk.ui.widgets import KLabel, PictureImage

from .choices import ChoicesScreen

log = logging.getLogger(__name__)
PICTURE_TOUCHES = 4  # a notice's picture is this many buttons high (the width is the column's)


class EmergencyScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Emergency services")
        self.can_back = False

    def render(self) -> None:
        info, found = self.flow.state.emergency, self.flow.state.volunteer
        message = translator.pick(info.message) if info else ""
        self.ids.prompt.text = message or _("Emergency services")
        shown = _("Hotline: {number}. The number is printed on the slip below the screen.")
        self.ids.note.text = shown.format(number=info.hotline) if info and found.hotline_shown else ""
        notices = info.notices if info else ()
        pictures = tuple(n.image in self.flow.emergency.images for n in notices)  # fetched meanwhile
        self.rebuild_if((notices, pictures), lambda: self._build(notices))

    def _build(self, notices: tuple[Any, ...]) -> None:
        journey = self.flow.emergency
        for aid, text, action, kind in (("emergency_hotline", _("Call for help"), journey.hotline, "primary"),
                                        ("emergency_need", _("Request supplies"), journey.register_need,
                                         "primary"),
                                        ("emergency_checkin", _("Volunteer check-in"), journey.check_in,
                                         "secondary"),
                                        ("emergency_mine", _("My requests for supplies"), journey.my_needs,
                                         "secondary")):
            self.add_button(aid, text, action, kind=kind)
        for number, notice in enumerate(notices):
            label = KLabel(aid=f"emergency_notice_{number}", text=translator.pick(notice))
            self.ids.grid.add_widget(_beside_a_button(label))
            self.add_button(f"emergency_read_{number}", _("Read aloud"),
                            partial(journey.read_aloud, number))  # 朗读 (espeak-ng)
            picture = _picture(number, journey.images.get(notice.image) if notice.image else None)
            if picture is not None:  # under its words, a row of its own (the button's cell stays empty)
                self.ids.grid.add_widget(picture)
                if self.ids.grid.cols > 1:
                    self.ids.grid.add_widget(Widget(size_hint_y=None, height=0))


def _picture(number: int, data: bytes | None) -> PictureImage | None:
    """The notice's picture (a map, where supplies are handed out), PICTURE_TOUCHES buttons high at
    most and the column's width; None until the station has given its bytes."""
    if not data:
        return None
    image = PictureImage(aid=f"emergency_notice_image_{number}", size_hint_y=None,
                         height=S.touch * PICTURE_TOUCHES)
    try:
        image.show_jpeg(data)
    except Exception:  # a picture Kivy cannot read: the words still show
        log.warning("emergency notice picture not shown", exc_info=True)
        return None
    return image


def _beside_a_button(label: KLabel) -> AnchorLayout:
    """The notice in a cell at least a button's height, centred on its 朗读 button's line."""
    cell = AnchorLayout(anchor_y="center", size_hint_y=None, height=max(label.height, S.touch))
    cell.add_widget(label)
    label.bind(height=lambda _l, height: setattr(cell, "height", max(height, S.touch)))
    return cell
