"""Engines and transactions for SQLite (the demo) and PostgreSQL (several workers); see
backend/shared/db.py."""

from backend.shared.db import is_postgres, make_engine, make_session_factory, write_transaction

__all__ = ["is_postgres", "make_engine", "make_session_factory", "write_transaction"]
