"""API error handlers (see backend/shared/api_errors.py)."""

from backend.shared.api_errors import install_error_handlers

__all__ = ["install_error_handlers"]
