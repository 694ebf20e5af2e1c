"""Helpers for tests: running the product's processes on loopback."""
