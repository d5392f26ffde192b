"""HTTP for the waitlist: join (roles `bot`, `admin`), list (admin; the bot its patient's),
decline the slot offered now, leave."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic.api.deps import SessionDep, SettingsDep
from clinic.api.openapi import problems
from clinic.appointments.router import ActorDep
from clinic.core.schemas import DbId, PageOffset, TelegramId
from clinic.core.timeutils import utcnow
from clinic.waitlist import service
from clinic.waitlist.schemas import WaitlistCreate, WaitlistPage, WaitlistRead

router = APIRouter(prefix="/waitlist", tags=["waitlist"], responses=problems(401, 403, 422, 503))


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(409, 413))
async def join_waitlist(
    data: WaitlistCreate, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> WaitlistRead:
    """Wait for a slot of a specialty or a doctor in a window of days (and times). When a
    matching slot frees, the first in line gets it held for HOLD_MINUTES as an offer.
    A patient waits in at most 5 lines at once (409)."""
    today = utcnow().astimezone(settings.tz).date()
    return await service.join(session, settings, data, actor, today)


@router.get("")
async def list_waitlist(
    session: SessionDep,
    actor: ActorDep,
    patient_telegram_id: Annotated[
        TelegramId | None,
        Query(description="For the `bot` role: its patient (the default), nobody else's."),
    ] = None,
    include_closed: Annotated[
        bool, Query(description="Also entries that were booked or left.")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: PageOffset = 0,
) -> WaitlistPage:
    """The line, first come first served."""
    return await service.list_entries(
        session,
        actor,
        patient_telegram_id=patient_telegram_id,
        open_only=not include_closed,
        limit=limit,
        offset=offset,
    )


@router.post("/{entry_id}/decline", responses=problems(404, 409))
async def decline_offer(
    entry_id: DbId, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> WaitlistRead:
    """Decline the slot offered to this entry now: its hold is released and the slot is
    offered to the next in line; the entry waits on for other slots. Nothing offered to the
    entry now (the offer lapsed, was answered, or the entry is closed): 409."""
    return await service.decline(session, settings, entry_id, actor, utcnow())


@router.delete("/{entry_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def leave_waitlist(entry_id: DbId, session: SessionDep, actor: ActorDep) -> Response:
    """Leave the line; a slot held as an offer is released."""
    await service.leave(session, entry_id, actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
