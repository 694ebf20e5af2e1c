"""Settings precedence: options > environment > file > defaults; production refuses simulators."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from backend.station.settings import load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KIOSK_PORT", "KIOSK_PRINTER", "KIOSK_CONFIG", "KIOSK_DATA_DIR", "KIOSK_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)


def test_file_then_environment_then_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kiosk.toml").write_text('port = 8111\nprinter = "tcp://10.0.0.5:9100"\n')
    assert load_settings(data_dir=tmp_path).port == 8111
    monkeypatch.setenv("KIOSK_PORT", "8222")
    settings = load_settings(data_dir=tmp_path)
    assert (settings.port, settings.printer) == (8222, "tcp://10.0.0.5:9100")
    assert load_settings(data_dir=tmp_path, port=8333).port == 8333


def test_a_bad_device_url_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="scheme 'xyz' is not one of"):
        load_settings(data_dir=tmp_path, printer="xyz://printer")


def test_production_refuses_simulated_devices_and_default_pin(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="production refuses simulated devices"):
        load_settings(data_dir=tmp_path, environment="production")
    real = {"printer": "tcp://10.0.0.5:9100", "idcard": "/dev/ttyUSB0", "scanner": "/dev/ttyACM0",
            "camera": "v4l2:///dev/video0"}
    with pytest.raises(ValidationError, match="KIOSK_STAFF_TOKEN"):
        load_settings(data_dir=tmp_path, environment="production", **real)
    with pytest.raises(ValidationError, match="KIOSK_TECHNICIAN_PIN"):
        load_settings(data_dir=tmp_path, environment="production", staff_token="x" * 24, **real)
    for weak in ("1", "482913", "00000000", "77777777", "4829l3x7"):  # short, the demo's, repeated, not digits
        with pytest.raises(ValidationError, match="KIOSK_TECHNICIAN_PIN"):
            load_settings(data_dir=tmp_path, environment="production", staff_token="x" * 24,
                          technician_pin=weak, **real)
    with pytest.raises(ValidationError, match="loopback"):
        load_settings(data_dir=tmp_path, environment="production", staff_token="x" * 24,
                      technician_pin="48291375", host="0.0.0.0", **real)
    remote = load_settings(data_dir=tmp_path, environment="production", staff_token="x" * 24,
                           technician_pin="48291375", host="0.0.0.0", allow_remote_api=True, **real)
    assert remote.host == "0.0.0.0"
    settings = load_settings(data_dir=tmp_path, environment="production", staff_token="x" * 24,
                             technician_pin="48291375", **real)
    assert settings.effective_staff_token == "x" * 24


def test_production_takes_per_person_staff_tokens_and_closes_docs(tmp_path: Path) -> None:
    real = {"printer": "tcp://10.0.0.5:9100", "idcard": "/dev/ttyUSB0", "scanner": "/dev/ttyACM0",
            "camera": "v4l2:///dev/video0", "technician_pin": "48291375"}
    with pytest.raises(ValidationError, match="KIOSK_STAFF_TOKENS"):
        load_settings(data_dir=tmp_path, environment="production", staff_tokens={"short": "王社工"}, **real)
    settings = load_settings(data_dir=tmp_path, environment="production",
                             staff_tokens={"t" * 20: "王社工"}, **real)
    assert settings.staff_tokens == {"t" * 20: "王社工"} and not settings.docs_enabled
    assert load_settings(data_dir=tmp_path).docs_enabled
