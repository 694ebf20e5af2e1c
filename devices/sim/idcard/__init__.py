"""The simulated ID card reader: the GA 467 protocol behind a pty or a TCP socket, with faults."""

from .demo import DemoRegister
from .model import ReaderModel
from .simulator import SimulatedIdCardReader

__all__ = ["DemoRegister", "ReaderModel", "SimulatedIdCardReader"]
