"""The Kivy app: builds the root and the screens, renders the flow's state, runs its timers,
feeds touches to the idle timer, and (only when asked) starts the test-automation hook (``hook_routes``)."""

from __future__ import annotations

import logging
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.client import StationClient
from kiosk.clock import MonotonicClock
from kiosk.event_stream import EventListener
from kiosk.i18n import _, translator
from kiosk.runner import ThreadRunner
from kiosk.screens import SCREENS, KioskScreen, build_screen
from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from . import liveness, theme
from .hook_routes import AutomationHook
from .overlays import Overlays
from .root import KioskRoot, load_kv
from .style import S
from .timing import Timings
from .voice import VoicePlayer

log = logging.getLogger(__name__)

TICK_SECONDS = 0.25


class KioskApp(App):

    def __init__(self, *, flow: KioskFlow, client: StationClient, listener: EventListener,
                 runner: ThreadRunner, clock: MonotonicClock, timings: Timings,
                 automation_port: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flow, self.client, self.listener, self.runner = flow, client, listener, runner
        self.clock, self.timings = clock, timings
        self.automation_port = automation_port
        self.hook: AutomationHook | None = None  # the test-automation hook, when a port is given
        self.kiosk_root: KioskRoot | None = None
        self.overlays: Overlays | None = None
        self.voice = VoicePlayer()
        self._had_session = False
        self._spoken: tuple[str, str] | None = None  # (screen, clip) last spoken
        self._warned_idle = False

    # ---- building -------------------------------------------------------------------------------

    def build(self) -> KioskRoot:
        self.title = _("24-hour Community Service Station")
        theme.set_scale_for(Window.height)
        S.apply(self.flow.state.elderly)
        load_kv()
        root = self.kiosk_root = KioskRoot()
        for step in SCREENS:
            root.ids.screens.add_widget(build_screen(step, self.flow))
        self.overlays = Overlays(self.flow, root.ids.dialog, root.ids.entry)
        root.ids.entry.on_speak = lambda text: None if self.flow.state.muted else self.voice.say(
            text, translator.lang, slow=self.flow.state.elderly)
        nav = root.ids.nav.ids
        nav.back.bind(on_release=lambda *_a: self.flow.back())
        nav.home.bind(on_release=lambda *_a: self.flow.request_home())
        nav.listen.bind(on_release=lambda *_a: self._speak(force=True))
        nav.mute.bind(on_release=lambda *_a: self._toggle_mute())
        banner = root.emergency_banner
        banner.bind(on_release=lambda b: None if b.held else self.flow.emergency.open_from_banner(),
                    on_hold=lambda *_a: self.flow.maintenance.open())
        self.flow.emergency.speaker = self.voice  # 朗读: the emergency's notices (espeak-ng)
        root.ids.top.ids.elderly.bind(on_release=lambda *_a: self.flow.toggle_elderly())
        root.ids.top.bind(on_hidden_entry=lambda *_a: self.flow.maintenance.open())
        for lang, button in root.language_buttons().items():
            button.bind(on_release=lambda _b, code=lang: translator.set_lang(code))
        self.flow.subscribe(self.render)
        translator.add_listener(lambda _lang: self.render())
        Window.bind(on_touch_down=self._touched, on_touch_up=self._released, on_flip=self._flipped)
        Clock.schedule_interval(self.tick, TICK_SECONDS)
        self.render()
        return root

    def on_start(self) -> None:
        liveness.announce(Clock)
        self.listener.start()
        self.flow.refresh_station()
        if self.automation_port is not None:
            self.hook = AutomationHook(self, self.automation_port)
            self.hook.start()

    def on_stop(self) -> None:
        self.listener.stop()
        if self.hook is not None:
            self.hook.stop()
        self.runner.shutdown()
        self.client.close()

    # ---- rendering ------------------------------------------------------------------------------

    def render(self) -> None:
        """Show the flow's step and refresh everything that depends on the state or language."""
        root = self.kiosk_root
        if root is None:
            return
        state = self.flow.state
        if S.elderly != state.elderly:
            S.apply(state.elderly)
        manager = root.ids.screens
        screen: KioskScreen = manager.get_screen(state.step.value)
        forgotten = state.session_id is None and state.verification is None
        if forgotten and self._had_session:
            for other in manager.screens:  # forget: no screen keeps the last resident's details
                other.render()
        self._had_session = not forgotten
        screen.render()
        if manager.current != screen.name:
            manager.current = screen.name
            self.timings.screen_changed(screen.name)
        root.ids.top.title = _(screen.title)
        root.show_emergency(self.flow.emergency.banner())  # 战时: on every screen
        root.ids.top.elderly = state.elderly
        nav = root.ids.nav
        nav.can_back, nav.can_home = screen.can_back, screen.can_home
        nav.hidden = state.step is Step.ATTRACT
        nav.can_listen, nav.muted = bool(screen.voice_clip()), state.muted
        if self.overlays is not None:
            self.overlays.render()
        self._speak()
        busy = self.flow.state.busy
        root.ids.busy.shown, root.ids.busy.message = busy is not None, _(busy) if busy else ""
        root.ids.recovering.shown = state.paused
        for lang, button in root.language_buttons().items():
            # The language in use is the lit (white) one; the other is outlined on the bar.
            button.kind = "secondary" if lang == translator.lang else "on_dark"
        self._render_idle()
        self._publish()

    def _render_idle(self) -> None:
        if self.kiosk_root is None:
            return
        seconds = self.flow.timers.idle_warning()
        banner = self.kiosk_root.ids.idle
        banner.shown = seconds is not None
        banner.seconds = seconds or 0
        if banner.shown and not self._warned_idle and not self.flow.state.muted:
            self.voice.play("idle", translator.lang, slow=self.flow.state.elderly)
        self._warned_idle = banner.shown

    # ---- voice ----------------------------------------------------------------------------------

    def _speak(self, *, force: bool = False) -> None:
        """Say the step's instruction when its screen first shows (or when asked)."""
        if self.kiosk_root is None:
            return
        screen: KioskScreen = self.kiosk_root.ids.screens.current_screen
        clip = screen.voice_clip()
        key = (screen.name, clip)
        if not force and (key == self._spoken or self.flow.state.muted):
            self._spoken = key
            return
        self._spoken = key
        if clip:
            self.voice.play(clip, translator.lang, slow=self.flow.state.elderly)

    def _toggle_mute(self) -> None:
        self.flow.toggle_mute()
        if self.flow.state.muted:
            self.voice.stop()

    def tick(self, _dt: float) -> None:
        self.flow.tick()
        self._render_idle()
        if self.kiosk_root is not None:
            self.kiosk_root.ids.screens.current_screen.tick()
        self._publish()

    def _touched(self, _window: Any, _touch: Any) -> None:
        self.timings.touched()
        self.flow.touch()
        self._render_idle()
        self._publish()

    def _released(self, _window: Any, _touch: Any) -> None:
        Clock.schedule_once(self._handled, 0)  # after the widgets' own on_touch_up (and on_release)

    def _handled(self, _dt: float) -> None:
        self.timings.handled()
        self._publish()

    def _flipped(self, *_args: Any) -> None:
        self.timings.frame()
        self._publish()



    def _publish(self) -> None:
        if self.hook is not None:
            self.hook.publish()
