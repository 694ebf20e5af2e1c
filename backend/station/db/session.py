"""Engine and sessions of the station's SQLite database (see backend/shared/db.py)."""

from backend.shared.db import make_engine, make_session_factory, write_transaction

__all__ = ["make_engine", "make_session_factory", "write_transaction"]
