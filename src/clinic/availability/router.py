"""GET /slots: is this time free, and if not, what is the nearest free time?"""

from typing import Annotated

from fastapi import APIRouter, Query

from clinic.api.deps import SessionDep, SettingsDep
from clinic.api.openapi import problems
from clinic.availability.schemas import SlotRead
from clinic.availability.service import SlotQuery, search_slots
from clinic.core.schemas import ClinicDatetime, ClinicUntil, DbId, LocalTime, Text
from clinic.core.timeutils import utcnow

router = APIRouter(tags=["clinic"], responses=problems(422, 503))


@router.get("/slots")
async def list_free_slots(
    session: SessionDep,
    settings: SettingsDep,
    specialty: Annotated[Text | None, Query(max_length=40)] = None,
    doctor_id: DbId | None = None,
    start: Annotated[
        ClinicDatetime | None, Query(alias="from", description="Default: now. Naive = clinic time.")
    ] = None,
    end: Annotated[
        ClinicUntil | None,
        Query(
            alias="to",
            description="Latest start (default: the booking horizon); a date alone includes "
            "that whole day.",
        ),
    ] = None,
    time_from: Annotated[
        LocalTime | None, Query(description="Earliest local start, HH:MM, no offset.")
    ] = None,
    time_to: Annotated[
        LocalTime | None, Query(description="Latest local start, HH:MM, no offset.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[SlotRead]:
    """Free slots of one doctor or of every doctor of a specialty, earliest first."""
    query = SlotQuery(
        specialty=specialty,
        doctor_id=doctor_id,
        start=start,
        end=end,
        time_from=time_from,
        time_to=time_to,
        limit=limit,
    )
    return await search_slots(session, settings, query, utcnow())
