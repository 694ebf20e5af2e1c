"""The simulated ID card reader: the GA 467 protocol behind a pty or a TCP socket, with faults."""

from .demo import demo_card, register_rows
from .model import ReaderModel
from .simulator import SimulatedIdCardReader

__all__ = ["ReaderModel", "SimulatedIdCardReader", "demo_card", "register_rows"]
