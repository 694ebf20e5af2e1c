"""Emergency mode (战时) at the kiosk: while the station says an area of the community is in
emergency mode (GET /api/emergency, polled with the station's description), home shows a banner
and an entry to the emergency home — the message and notices, 紧急求助 (the hotline, shown and
printed), and 志愿者报到 (a volunteer identifies and checks in to a task group). Kivy-free.

    home ─(banner)→ emergency ─(紧急求助)→ the hotline shows, a slip prints
                              ↘ wait_card → identity → emergency_checkin ─(a group)→ checked in → thanks
                              ↘ (物资需求登记) wait_card → identity → need_kind … need_done
"""

from __future__ import annotations

import logging
from functools import partial

from ..errors import StationError
from ..i18n import N_, translator
from ..records.volunteers import Checkin, NeedView
from ..speech import SilentSpeaker, Speaker
from ..state import Step, VolunteerState
from .emergency_need import NeedRegistration
from .host import JourneyHost

log = logging.getLogger(__name__)

SERVICE = "emergency"
CHECKING_IN = N_("Checking you in…")
CHECKIN, NEEDS, REGISTER = "checkin", "needs", "register"  # what identifying is for
NEED_STEPS = (Step.NEED_KIND, Step.NEED_URGENCY, Step.NEED_CONTACT, Step.NEED_DONE)
OWN_STEPS = (Step.EMERGENCY, Step.EMERGENCY_CHECKIN, Step.EMERGENCY_NEEDS, *NEED_STEPS)
BANNER_CHARS = 30  # the banner's one line: longer messages are cut (the emergency home has it all)


class EmergencyJourney:
    def __init__(self, host: JourneyHost) -> None:
        self.host = host
        self._then = CHECKIN
        self.need = NeedRegistration(host)
        self.speaker: Speaker = SilentSpeaker()  # the window's voice reads the notices (kiosk.ui.voice)
        self.images: dict[str, bytes] = {}  # the notices' pictures (JPEG) by their station path
        self._fetching: set[str] = set()

    @property
    def found(self) -> VolunteerState:
        return self.host.state.volunteer

    @property
    def active(self) -> bool:
        info = self.host.state.emergency
        return bool(info and info.active)

    def start(self) -> None:
        """Home's emergency banner: the emergency home (no identity needed)."""
        state = self.host.state
        if state.step not in (Step.HOME, Step.ATTRACT) or state.busy or not self.active:
            return
        self.host.touch()
        state.service = SERVICE
        self.found.hotline_shown = False
        self.host.go(Step.EMERGENCY)
        self.read_aloud(wait=True)  # the message and notices, after the screen's instruction

    def fetch_images(self) -> None:
        """Fetch the notices' pictures not fetched yet (each emergency poll: ready before anyone opens
        the emergency home); forget those of notices gone. A failed one is asked again next time."""
        info = self.host.state.emergency
        paths = {n.image for n in info.notices if n.image} if info and info.active else set()
        self.images = {p: data for p, data in self.images.items() if p in paths}
        for path in paths - set(self.images) - self._fetching:
            self._fetching.add(path)
            self.host.call(partial(self.host.api.emergency_image, path), partial(self._got_image, path),
                           generation_bound=False)

    def _got_image(self, path: str, data: bytes | None, error: StationError | None) -> None:
        self._fetching.discard(path)
        if error is not None or not data:
            log.info("emergency notice picture not fetched: %s", error)
            return
        self.images[path] = data
        self.host.changed()

    def banner(self) -> str | None:
        """The emergency message for every screen's banner (cut to one line), or None — also on the
        emergency's own screens, which say it in full and need the room (elderly mode's phrases)."""
        info = self.host.state.emergency
        if info is None or not info.active or self.host.state.step in OWN_STEPS:
            return None
        message = translator.pick(info.message)
        return message if len(message) <= BANNER_CHARS else message[:BANNER_CHARS - 1] + "…"

    def open_from_banner(self) -> None:
        """The banner was touched: the emergency home from a screen without anyone's details;
        during a resident's visit, home's question first (ending it would clear their details)."""
        state = self.host.state
        if not self.active or state.busy or state.step in (*OWN_STEPS, Step.PRINTING):
            return
        if state.step in (Step.HOME, Step.ATTRACT):
            self.start()
        elif state.identity is None and state.entry is None and state.dialog is None:
            self.host.home()
            self.start()  # (not when home first reminds the resident to take their ID card)
        else:
            self.host.request_home()

    def read_aloud(self, notice: int | None = None, *, wait: bool = False) -> None:
        """朗读: read the emergency's message and notices aloud (``notice``: that one only) — not
        when muted."""
        state, info = self.host.state, self.host.state.emergency
        if state.step is not Step.EMERGENCY or state.muted or info is None:
            return
        if notice is not None and not 0 <= notice < len(info.notices):
            return
        texts = [info.notices[notice]] if notice is not None else [info.message, *info.notices]
        words = [translator.pick(t) for t in texts]
        text = "\n".join(w for w in words if w)
        if text:
            self.speaker.say(text, translator.lang, slow=state.elderly, wait=wait)

    def hotline(self) -> None:
        """紧急求助: show the hotline and print it (the number shows even if the printer fails)."""
        state = self.host.state
        if state.step is not Step.EMERGENCY or state.busy:
            return
        self.host.touch()
        state.busy = N_("Printing your slip…")
        self.host.changed()
        self.host.call(lambda: self.host.api.emergency_hotline(print_it=True), self._hotline)

    def _hotline(self, _number: str | None, error: StationError | None) -> None:
        if error is not None:
            log.warning("hotline slip not printed: %s", error)
        self.host.state.busy = None
        self.found.hotline_shown = True
        self.host.changed()

    def check_in(self) -> None:
        """志愿者报到: identify first (ID card or resident code), then choose the task group."""
        self._identify(CHECKIN)

    def my_needs(self) -> None:
        """我的需求: identify first, then the household's needs and their status."""
        self._identify(NEEDS)

    def register_need(self) -> None:
        """物资需求登记: identify first (the household), then what is needed."""
        self._identify(REGISTER)

    def _identify(self, then: str) -> None:
        state = self.host.state
        if state.step is not Step.EMERGENCY or state.busy:
            return
        self._then = then
        state.step = Step.HOME  # begin() starts from home, as a tile would
        self.host.begin(SERVICE, lambda: None, lambda _none: self.host.await_identity())

    def identified(self) -> None:
        session_id = self.host.state.session_id
        if self._then == REGISTER:
            self.need.begin()
            return
        if self._then == NEEDS and session_id is not None:
            self.host.state.busy = N_("Looking up your requests…")
            self.host.changed()
            self.host.call(lambda: self.host.api.my_needs(session_id), self._needs)
            return
        self.found.checkin = None
        self.host.go(Step.EMERGENCY_CHECKIN)

    def _needs(self, needs: list[NeedView] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or needs is None:
            self.host.set_retry(self.identified)
            self.host.fail(error)
            return
        self.found.needs = needs
        self.host.go(Step.EMERGENCY_NEEDS)

    def choose_group(self, code: str) -> None:
        """Emergency check-in: report to task group ``code``."""
        state, session_id = self.host.state, self.host.state.session_id
        if state.step is not Step.EMERGENCY_CHECKIN or state.busy or session_id is None or self.found.checkin:
            return
        self.host.touch()
        state.busy = CHECKING_IN
        self.host.changed()
        self.host.call(lambda: self.host.api.emergency_checkin(session_id, code), self._checked_in)

    def _checked_in(self, checkin: Checkin | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or checkin is None:
            self.host.fail(error)
            return
        self.found.checkin = checkin
        self.host.changed()

    def finish(self) -> None:
        state = self.host.state
        if state.step in OWN_STEPS and not state.busy:
            self.host.touch()
            if state.session_id is None:
                self.host.home()
            else:
                self.host.conclude()
