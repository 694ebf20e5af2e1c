"""The supervisor's restart policy, on a clock the test moves: the real default schedule."""

from __future__ import annotations

import pytest

from kioskcli.restart_policy import Lifeline, RestartPolicy, SupervisorSettings

DEFAULT = RestartPolicy()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


def crash_quickly(life: Lifeline, clock: Clock, running: float = 0.5) -> float | None:
    """Run for ``running`` seconds, die, wait out the backoff and restart; return the delay."""
    delay = life.exited(clock.advance(running))
    if delay is not None:
        life.restarted(clock.advance(delay))
    return delay


def test_the_backoff_doubles_from_one_second_up_to_a_minute() -> None:
    assert [DEFAULT.delay(n) for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_part_that_keeps_crashing_is_restarted_five_times_then_put_out_of_service() -> None:
    clock = Clock()
    life = Lifeline(DEFAULT, clock.now)
    delays = [crash_quickly(life, clock) for _ in range(6)]
    assert delays == [1, 2, 4, 8, 16, None]  # 5 restarts within 10 minutes: a crash loop


def test_five_minutes_of_health_reset_the_backoff() -> None:
    clock = Clock()
    life = Lifeline(DEFAULT, clock.now)
    assert [crash_quickly(life, clock) for _ in range(3)] == [1, 2, 4]
    assert crash_quickly(life, clock, running=299) == 8  # not quite five minutes
    assert crash_quickly(life, clock, running=300) == 1  # five minutes: starts again at 1 s


def test_restarts_spread_over_more_than_ten_minutes_are_no_crash_loop() -> None:
    clock = Clock()
    life = Lifeline(DEFAULT, clock.now)
    # Dies every 4 minutes: never healthy for 5, never 5 restarts within 10.
    delays = [crash_quickly(life, clock, running=240) for _ in range(12)]
    assert None not in delays
    assert delays[:7] == [1, 2, 4, 8, 16, 32, 60] and set(delays[7:]) == {60}


def test_a_part_that_stays_silent_three_pings_long_hangs() -> None:
    clock = Clock()
    life = Lifeline(DEFAULT, clock.now)
    assert not life.hung(clock.advance(89))  # starting: 90 s to say READY
    life.sign_of_life(clock.now)
    assert not life.hung(clock.advance(10))
    life.sign_of_life(clock.now)
    assert not life.hung(clock.advance(30))  # three pings missed exactly: not yet
    assert life.hung(clock.advance(0.1))


def test_a_part_that_never_says_it_is_alive_hangs_after_the_start_grace() -> None:
    clock = Clock()
    life = Lifeline(DEFAULT, clock.now)
    assert not life.hung(clock.advance(90))
    assert life.hung(clock.advance(0.1))


def test_an_out_of_service_part_gets_a_fresh_history_when_tried_again() -> None:
    clock = Clock()
    life = Lifeline(DEFAULT, clock.now)
    while crash_quickly(life, clock) is not None:
        pass
    life.given_another_chance(clock.advance(DEFAULT.retry_after or 0))
    assert crash_quickly(life, clock) == 1


def test_the_settings_give_the_default_policy_and_take_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert SupervisorSettings().policy() == DEFAULT
    monkeypatch.setenv("KIOSK_SUPERVISOR_PING_EVERY", "0.5")
    monkeypatch.setenv("KIOSK_SUPERVISOR_FIRST_DELAY", "0.2")
    policy = SupervisorSettings().policy()
    assert (policy.ping_every, policy.hang_after, policy.first_delay) == (0.5, 1.5, 0.2)
