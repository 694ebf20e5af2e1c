"""The platform HTTP API."""
