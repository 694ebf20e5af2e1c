"""Fixtures for the token tests: fixed keys (Ed25519 is deterministic) and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.shared.tokens import Ed25519Signer, KeySet


@pytest.fixture
def signer() -> Ed25519Signer:
    return Ed25519Signer.from_seed(bytes(range(32)))


@pytest.fixture
def other_signer() -> Ed25519Signer:
    return Ed25519Signer.from_seed(bytes(range(100, 132)))


@pytest.fixture
def keys(signer: Ed25519Signer) -> KeySet:
    return KeySet([signer.public_key])


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
