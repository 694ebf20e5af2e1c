"""The declarative base and column helpers of the platform's models (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase

from backend.shared.db import NAMING, UtcDateTime

__all__ = ["Base", "BigId", "UtcDateTime"]

# SQLite only numbers rows by itself for an INTEGER PRIMARY KEY; PostgreSQL wants 64 bits.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
