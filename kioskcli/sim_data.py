"""The product's data the simulators are given: the demo register's residents for ID cards."""

from __future__ import annotations

from functools import cache

import assets
from devices.sim.idcard.demo import DemoRegister


@cache
def demo_register() -> DemoRegister:
    """Return the shipped demo register (assets/register/), whose residents the card reader offers."""
    return DemoRegister.read(assets.path("register", "demo_register.csv"),
                             assets.path("register", "community.yaml"))
