"""What the station's and the platform's settings have in common.

Both read, strongest first: options passed to the class > environment variables (each side's
prefix) > a TOML settings file > defaults. The settings file is the one an environment variable
names, else ``<data dir>/<file name>`` when it exists. Each side names its variables, its file
and its fields; this module holds the rest once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Self

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, TomlConfigSettingsSource


class Environment(StrEnum):
    DEMO = "demo"  # simulated devices allowed, demo keys, PINs and passwords allowed
    PRODUCTION = "production"


@dataclass(frozen=True)
class SettingsFile:
    """Where one side's settings file is: the variable naming it, else a file in the data folder."""

    config_var: str  # names the file outright
    data_dir_var: str  # names the data folder
    name: str  # the file's name in the data folder
    default_dir: Callable[[], Path]  # the data folder when nothing names one

    def find(self, data_dir: Path | None = None) -> Path | None:
        """Return the settings file to read, if any."""
        explicit = os.environ.get(self.config_var)
        if explicit:
            return Path(explicit)
        env_dir = os.environ.get(self.data_dir_var)
        folder = data_dir or (Path(env_dir) if env_dir else self.default_dir())
        candidate = folder / self.name
        return candidate if candidate.is_file() else None


class FileSettings(BaseSettings):
    """Settings read from options, then the environment, then the side's TOML file."""

    @classmethod
    def settings_file(cls, data_dir: Path | None = None) -> Path | None:
        """Return the settings file to read, if any (none unless a side says where)."""
        return None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        given_dir = getattr(init_settings, "init_kwargs", {}).get("data_dir")
        config_file = cls.settings_file(Path(given_dir) if given_dir else None)
        if config_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)

    @classmethod
    def from_options(cls, **options: Any) -> Self:
        """Build settings from options (None values are left to the other sources)."""
        return cls(**{k: v for k, v in options.items() if v is not None})
