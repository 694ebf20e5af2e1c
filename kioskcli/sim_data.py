"""The product's data the simulators are given: the demo register's residents, the printer's font."""

from __future__ import annotations

from functools import cache

import assets
from devices.sim.idcard.demo import DemoRegister
from devices.sim.printer.render_png import FontFile


@cache
def demo_register() -> DemoRegister:
    """Return the shipped demo register (assets/register/), whose residents the card reader offers."""
    return DemoRegister.read(assets.path("register", "demo_register.csv"),
                             assets.path("register", "community.yaml"))


def printer_font() -> FontFile:
    """Return the product's Simplified-Chinese font, which the simulated printer draws with."""
    path, index = assets.cjk_font()
    return FontFile(path, index)
