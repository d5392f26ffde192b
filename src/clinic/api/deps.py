"""Request dependencies: the unit of work, settings and the caller's role."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.api.auth import require_admin_role, role_for
from clinic.core.database import session_scope
from clinic.core.settings import Role, Settings, get_settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's one transaction: committed when the handler succeeds, else rolled back."""
    async for session in session_scope(request.app.state.sessionmaker):
        yield session


def current_role(request: Request, authorization: Annotated[str | None, Header()] = None) -> Role:
    return role_for(request.app.state.tokens, authorization)


def admin_role(role: Annotated[Role, Depends(current_role)]) -> Role:
    require_admin_role(role)
    return role


# scope="function": commit before the response is sent, so a 201 means the row is stored.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CurrentRole = Annotated[Role, Depends(current_role)]
AdminRole = Annotated[Role, Depends(admin_role)]
