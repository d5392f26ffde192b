"""The shape of a free slot as clients see it."""

from clinic.core.schemas import ClinicDatetime, Schema


class SlotRead(Schema):
    doctor_id: int
    doctor_name: str
    specialty: str
    start: ClinicDatetime
    end: ClinicDatetime
