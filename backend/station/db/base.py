"""The declarative base of every station model."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from backend.shared.db import NAMING, UtcDateTime

__all__ = ["Base", "UtcDateTime"]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
