"""The OpenAPI says what the API answers: bearer auth as a security scheme, and every error
status as problem+json with the real shapes."""

from typing import Any

from httpx import AsyncClient

from tests.conftest import BOT
from tests.factories import at, booking, make_doctor


async def _schema(client: AsyncClient) -> dict[str, Any]:
    return dict((await client.get("/openapi.json")).json())


async def test_bearer_auth_is_a_security_scheme_not_a_header_field(client: AsyncClient) -> None:
    schema = await _schema(client)
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    operation = schema["paths"]["/appointments"]["post"]
    assert operation["security"] == [{"bearer": []}]
    names = {p["name"].lower() for p in operation.get("parameters", [])}
    assert "authorization" not in names
    assert "x-patient-telegram-id" in names


async def test_error_statuses_are_documented_as_problems(client: AsyncClient) -> None:
    schema = await _schema(client)
    booking = schema["paths"]["/appointments"]["post"]["responses"]
    assert set(booking) >= {"201", "401", "403", "409", "413", "422", "503"}
    for status in ("401", "403", "409", "413", "422", "503"):
        assert list(booking[status]["content"]) == ["application/problem+json"], status
    assert booking["422"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationProblem"
    }
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert "404" in schema["paths"]["/appointments/{appointment_id}"]["get"]["responses"]


async def test_a_date_only_to_is_documented(client: AsyncClient) -> None:
    schema = await _schema(client)
    (to,) = [p for p in schema["paths"]["/slots"]["get"]["parameters"] if p["name"] == "to"]
    assert "whole day" in to["description"]
    assert {"type": "string", "format": "date"} in to["schema"]["anyOf"]


def _accepts(schema: dict[str, Any], body: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether the body has every required field of the documented response (or of one of its
    `anyOf` branches)."""
    if "$ref" in schema:
        return _accepts(components[schema["$ref"].rsplit("/", 1)[-1]], body, components)
    if "anyOf" in schema:
        return any(_accepts(branch, body, components) for branch in schema["anyOf"])
    return set(schema.get("required", [])) <= set(body)


async def test_a_conflict_without_alternatives_matches_the_documented_409(
    client: AsyncClient,
) -> None:
    # Rescheduling a cancelled appointment is a 409 with no free slots to offer.
    doctor = await make_doctor(client)
    created = await client.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT)
    appointment = created.json()["id"]
    await client.post(f"/appointments/{appointment}/cancel", json={}, headers=BOT)
    conflict = await client.patch(
        f"/appointments/{appointment}", json={"start_time": at(1, 11).isoformat()}, headers=BOT
    )
    assert conflict.status_code == 409
    schema = await _schema(client)
    components = schema["components"]["schemas"]
    for method, path in (("patch", "/appointments/{appointment_id}"), ("post", "/appointments")):
        documented = schema["paths"][path][method]["responses"]["409"]["content"]
        assert _accepts(
            documented["application/problem+json"]["schema"], conflict.json(), components
        )
