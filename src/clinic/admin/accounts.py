"""Staff logins: who may sign in to the staff UI, and as what."""

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.admin.models import StaffAccount
from clinic.admin.passwords import dummy_hash, hash_password, verify_password
from clinic.admin.schemas import StaffAccountCreate, StaffAccountUpdate
from clinic.core.errors import Conflict, NotFound, RuleViolation
from clinic.doctors.models import Doctor


async def _hash(password: str) -> str:
    # scrypt takes tens of milliseconds of CPU: off the event loop.
    return await anyio.to_thread.run_sync(hash_password, password)


async def check_credentials(
    session: AsyncSession, username: str, password: str
) -> StaffAccount | None:
    """The active account with this username and password, or None."""
    account = await session.scalar(
        select(StaffAccount).where(StaffAccount.username == username.strip().lower())
    )
    stored = account.password_hash if account is not None else dummy_hash()
    matches = await anyio.to_thread.run_sync(verify_password, password, stored)
    if account is None or not matches or not account.is_active:
        return None
    return account


async def get_active(session: AsyncSession, account_id: int) -> StaffAccount | None:
    account = await session.get(StaffAccount, account_id)
    return account if account is not None and account.is_active else None


async def _check_unique(
    session: AsyncSession, username: str, reserved: str, account_id: int | None
) -> None:
    if username == reserved.strip().lower():
        raise RuleViolation("username", "reserved", "this username is the built-in manager login")
    other = await session.scalar(select(StaffAccount.id).where(StaffAccount.username == username))
    if other is not None and other != account_id:
        raise Conflict(f"the username {username!r} is taken")


async def _check_doctor(session: AsyncSession, doctor_id: int | None) -> None:
    if doctor_id is not None and await session.get(Doctor, doctor_id) is None:
        raise RuleViolation("doctor_id", "unknown_doctor", f"doctor {doctor_id} does not exist")


async def create_account(
    session: AsyncSession, data: StaffAccountCreate, reserved_username: str
) -> StaffAccount:
    """Add a login; `reserved_username` is the settings' manager, which no account may shadow."""
    await _check_unique(session, data.username, reserved_username, None)
    await _check_doctor(session, data.doctor_id)
    account = StaffAccount(
        username=data.username,
        password_hash=await _hash(data.password),
        role=data.role,
        doctor_id=data.doctor_id,
        is_active=data.is_active,
    )
    session.add(account)
    await session.flush()
    return account


async def update_account(
    session: AsyncSession, account_id: int, data: StaffAccountUpdate, reserved_username: str
) -> StaffAccount:
    account = await session.get(StaffAccount, account_id)
    if account is None:
        raise NotFound(f"staff account {account_id} does not exist")
    await _check_unique(session, data.username, reserved_username, account_id)
    await _check_doctor(session, data.doctor_id)
    account.username = data.username
    account.role = data.role
    account.doctor_id = data.doctor_id
    account.is_active = data.is_active
    if data.password is not None:
        account.password_hash = await _hash(data.password)
    await session.flush()
    return account


async def delete_account(session: AsyncSession, account_id: int) -> None:
    account = await session.get(StaffAccount, account_id)
    if account is None:
        raise NotFound(f"staff account {account_id} does not exist")
    await session.delete(account)
    await session.flush()
