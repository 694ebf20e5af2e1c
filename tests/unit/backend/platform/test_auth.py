"""Staff sign-in: hashed passwords, a limit on failures, short-lived tokens, roles."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import select, update

from backend.platform.clock import FrozenClock
from backend.platform.db.session import write_transaction
from backend.platform.db.staff_models import User
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import accounts, auth
from backend.platform.services.ratelimit import LoginLimiter
from backend.platform.settings import DEMO_ADMIN_PASSWORD, PlatformSettings
from backend.shared.errors import AppError


def _login(runtime: PlatformRuntime, password: str) -> auth.LoginOutcome:
    with write_transaction(runtime.db) as session:
        return auth.login(session, username="admin", password=password, now=runtime.clock.now(),
                          token_minutes=60, max_failed=3, lockout_minutes=15)


def test_passwords_are_stored_as_salted_scrypt_hashes() -> None:
    # log_n 14: the form and the salt are the same at any cost (the production cost: below)
    first, second = auth.hash_password("correct horse battery", 14), auth.hash_password("correct horse battery", 14)
    assert first.startswith("scrypt$") and first != second and "correct" not in first
    assert auth.verify_password("correct horse battery", first)
    assert not auth.verify_password("correct horse batterY", first)
    assert not auth.verify_password("anything", "md5$abc")


def test_the_demo_admin_signs_in_and_the_token_expires(runtime: PlatformRuntime) -> None:
    outcome = _login(runtime, DEMO_ADMIN_PASSWORD)
    assert outcome.error is None and outcome.user is not None and outcome.user.role == "admin"
    with runtime.db() as session:
        staff = auth.staff_for_token(session, outcome.token, runtime.clock.now())
        assert staff is not None and staff.can("stations")
        assert isinstance(runtime.clock, FrozenClock)
        runtime.clock.advance(minutes=61)
        assert auth.staff_for_token(session, outcome.token, runtime.clock.now()) is None


def test_failed_sign_ins_lock_the_account_for_a_while(runtime: PlatformRuntime) -> None:
    assert [_login(runtime, "wrong").error for _ in range(3)] == ["auth.bad_credentials"] * 3
    assert _login(runtime, DEMO_ADMIN_PASSWORD).error == "auth.locked"  # even the right password
    assert isinstance(runtime.clock, FrozenClock)
    runtime.clock.advance(minutes=16)
    assert _login(runtime, DEMO_ADMIN_PASSWORD).error is None


def test_unknown_users_get_the_same_answer(runtime: PlatformRuntime) -> None:
    with write_transaction(runtime.db) as session:
        outcome = auth.login(session, username="nobody", password="x", now=runtime.clock.now(),
                             token_minutes=60, max_failed=3, lockout_minutes=15)
    assert outcome.error == "auth.bad_credentials"


@pytest.mark.parametrize(("role", "allowed", "refused"), [
    ("staff", {"view", "command.basic"}, {"command.device", "enrol", "stations", "register"}),
    ("technician", {"command.device", "enrol"}, {"stations", "register", "users"}),
    ("admin", {"stations", "register", "users", "revoke", "audit"}, set()),
])
def test_roles(role: str, allowed: set[str], refused: set[str]) -> None:
    staff = auth.Staff(1, "u", role, "460107")
    assert all(staff.can(p) for p in allowed) and not any(staff.can(p) for p in refused)


@pytest.mark.parametrize("password", ["", DEMO_ADMIN_PASSWORD, "short"])
def test_production_refuses_default_or_weak_admin_passwords(password: str) -> None:
    with pytest.raises(ValidationError, match="ADMIN_PASSWORD"):
        PlatformSettings(environment="production", admin_password=password)


def test_production_takes_a_real_password() -> None:
    settings = PlatformSettings(environment="production", admin_password="a-long-real-secret")
    assert settings.effective_admin_password == "a-long-real-secret"


def test_a_weaker_hash_is_replaced_at_the_next_sign_in(runtime: PlatformRuntime) -> None:
    with write_transaction(runtime.db) as session:
        session.execute(update(User).where(User.username == "admin")
                        .values(password_hash=auth.hash_password(DEMO_ADMIN_PASSWORD, 12)))
    with write_transaction(runtime.db) as session:
        outcome = auth.login(session, username="admin", password=DEMO_ADMIN_PASSWORD, now=runtime.clock.now(),
                             token_minutes=60, max_failed=3, lockout_minutes=15, log_n=14)
    assert outcome.error is None
    with runtime.db() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "admin"))
    assert stored is not None and stored.split("$")[1] == str(2**14)
    assert auth.verify_password(DEMO_ADMIN_PASSWORD, stored)


def test_a_rehash_never_weakens_a_hash() -> None:
    strong = auth.hash_password("correct horse battery", 15)
    assert not auth.needs_rehash(strong, 14) and auth.needs_rehash(strong, 16)
    assert auth.needs_rehash("md5$abc", 14)


def test_the_production_cost_is_owasps() -> None:
    assert auth.SCRYPT_LOG_N >= 17 and PlatformSettings.model_fields["password_scrypt_log_n"].default >= 17


def test_the_sliding_window_limits_each_key_and_forgets_old_hits() -> None:
    now = [0.0]
    limiter = LoginLimiter(per_ip=3, per_user=2, seconds=60, clock=lambda: now[0])
    assert [limiter.allow(ip="1.1.1.1", username="a") for _ in range(3)] == [True, True, False]
    assert limiter.allow(ip="1.1.1.1", username="b") is False  # the address is over its limit
    assert limiter.allow(ip="2.2.2.2", username="A") is False  # the name is, whatever the case
    now[0] = 61
    assert limiter.allow(ip="1.1.1.1", username="a") is True


def test_a_demo_password_is_found_until_it_is_reset(runtime: PlatformRuntime) -> None:
    with runtime.db() as session, pytest.raises(AppError) as refused:
        accounts.refuse_demo_passwords(session)
    assert refused.value.code == "platform.demo_password" and refused.value.detail == "admin"
    with write_transaction(runtime.db) as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        assert admin is not None
        with pytest.raises(AppError, match="weak_password"):
            accounts.reset_password(session, user=admin, new=DEMO_ADMIN_PASSWORD, log_n=14)
        accounts.reset_password(session, user=admin, new="a-new-temporary-one", log_n=14)
        assert admin.must_change_password
    with runtime.db() as session:
        accounts.refuse_demo_passwords(session)
