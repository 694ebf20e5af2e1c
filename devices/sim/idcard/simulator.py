"""The simulated ID card reader: a GA 467 module behind a pseudo-terminal or a TCP socket."""

from __future__ import annotations

import logging
import random
from datetime import date
from typing import Any

from devices.idcard.card import IdCard
from devices.idcard.protocol import DEFAULT_BAUDRATE

from .link import PtyServer, TcpServer
from .model import Clock, ReaderModel

log = logging.getLogger(__name__)

TRANSPORTS = ("pty", "tcp")


class SimulatedIdCardReader:
    """A simulated reader the real driver opens by ``url`` (/dev/pts/N or socket://127.0.0.1:P)."""

    name = "idcard"

    def __init__(self, transport: str = "pty", baudrate: int = DEFAULT_BAUDRATE,
                 clock: Clock = date.today, *, host: str = "127.0.0.1", port: int = 0,
                 seed: int | None = None) -> None:
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}, not {transport!r}")
        self.transport = transport
        self.baudrate = baudrate
        self.model = ReaderModel(clock=clock, rng=random.Random(seed))
        self._host, self._port = host, port
        self._server: PtyServer | TcpServer | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulated ID card reader is not started")
        return self._server.url

    def start(self) -> None:
        """Open the pseudo-terminal or the listening socket and start answering."""
        if self._server is not None:
            return
        if self.transport == "pty":
            self._server = PtyServer(self.model.respond, self.baudrate)
        else:
            self._server = TcpServer(self.model.respond, self.baudrate, self._host, self._port)
        self._server.start()
        log.info("simulated ID card reader on %s", self._server.url)

    def stop(self) -> None:
        """Stop answering and close the line."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def __enter__(self) -> SimulatedIdCardReader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- the card and the faults ------------------------------------------------------------

    def insert_card(self, card: IdCard) -> None:
        """Lay a card on the reader."""
        self.model.insert_card(card)
        log.info("simulated card inserted: %r", card)

    def remove_card(self) -> None:
        """Take the card off the reader."""
        self.model.remove_card()

    @property
    def card_present(self) -> bool:
        return self.model.card_present

    def inject_fault(self, fault: str, **params: Any) -> None:
        """Activate a fault named in devices.sim.faults (see model.py for its parameters)."""
        self.model.faults.add(fault, **params)
        log.info("idcard fault %s %s", fault, params or "")

    def clear_faults(self) -> None:
        """Deactivate every fault."""
        self.model.faults.clear()

    def describe(self) -> dict[str, Any]:
        """Return the line, the card (masked), the active faults and the counters."""
        return {
            "name": self.name,
            "simulated": True,
            "transport": self.transport,
            "url": self._server.url if self._server else None,
            "baudrate": self.baudrate,
            **self.model.describe(),
        }
