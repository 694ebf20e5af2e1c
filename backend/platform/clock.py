"""The platform's clock (see backend/shared/clock.py)."""

from backend.shared.clock import Clock, FrozenClock, SystemClock

__all__ = ["Clock", "FrozenClock", "SystemClock"]
