"""HTTP for holds: keep a slot for a patient while they confirm (roles `bot` and `admin`)."""

from fastapi import APIRouter, Response, status

from clinic.api.deps import SessionDep, SettingsDep
from clinic.api.openapi import problems
from clinic.appointments.router import SLOT_TAKEN, ActorDep
from clinic.core.schemas import DbId
from clinic.core.timeutils import utcnow
from clinic.holds import service
from clinic.holds.schemas import HoldCreate, HoldRead

router = APIRouter(prefix="/holds", tags=["holds"], responses=problems(401, 403, 422, 503))


@router.post("", status_code=status.HTTP_201_CREATED, responses={409: SLOT_TAKEN, **problems(413)})
async def create_hold(
    data: HoldCreate, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> HoldRead:
    """Hold a free slot for HOLD_MINUTES: nobody else can book or hold it meanwhile, and the
    slot search does not list it. Book it with `hold_id` in POST /appointments. A patient
    holds one slot at a time: a new hold releases their earlier one. An expired hold is
    simply gone."""
    return await service.place_hold(session, settings, data, actor, utcnow())


@router.delete("/{hold_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def delete_hold(hold_id: DbId, session: SessionDep, actor: ActorDep) -> Response:
    """Release the slot before the hold expires."""
    await service.release_hold(session, hold_id, actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
