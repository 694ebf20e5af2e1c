"""The driver's configuration: which URLs it opens and how it describes itself."""

from __future__ import annotations

import pytest

from devices.errors import DeviceConfigError
from devices.idcard.reader import IdCardReader
from devices.model import ComponentKind


@pytest.mark.parametrize(("url", "opened", "baudrate"), [
    ("/dev/ttyUSB0", "/dev/ttyUSB0", 115200),
    ("serial:///dev/ttyUSB0?baudrate=9600", "/dev/ttyUSB0", 9600),
    ("socket://127.0.0.1:7000", "socket://127.0.0.1:7000", 115200),
    ("socket://127.0.0.1:7000?baudrate=9600", "socket://127.0.0.1:7000", 9600),
    ("loop://", "loop://", 115200),
])
def test_what_pyserial_opens(url: str, opened: str, baudrate: int) -> None:
    reader = IdCardReader(url)
    assert (reader._port_url, reader.baudrate) == (opened, baudrate)


@pytest.mark.parametrize("url", ["sim://", "", "socket://nohost", "ttyUSB0"])
def test_bad_urls_are_configuration_errors(url: str) -> None:
    with pytest.raises(DeviceConfigError):
        IdCardReader(url)


def test_baudrate_in_the_url_wins() -> None:
    reader = IdCardReader("serial:///dev/ttyS1?baudrate=9600", baudrate=115200)
    assert reader.baudrate == 9600


def test_info_describes_an_id_card_reader() -> None:
    info = IdCardReader("socket://127.0.0.1:7000", simulated=True).info()
    assert (info.kind, info.url, info.simulated) == (
        ComponentKind.ID_CARD_READER, "socket://127.0.0.1:7000", True)
    assert info.characteristics["baudrate"] == 115200
