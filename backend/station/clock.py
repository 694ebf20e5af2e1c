"""The station's clock (see backend/shared/clock.py)."""

from backend.shared.clock import Clock, FrozenClock, SteadyClock, SystemClock

__all__ = ["Clock", "FrozenClock", "SteadyClock", "SystemClock"]
