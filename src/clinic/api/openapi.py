"""The OpenAPI document says what the API really answers: every error status a route can
return, as `application/problem+json` with the real problem shapes, and bearer auth as a
security scheme (the Authorize button in /docs)."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
REF_TEMPLATE = "#/components/schemas/{model}"

BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="A token from API_TOKENS: `admin` manages everything, `bot` acts for one "
    "patient (see X-Patient-Telegram-Id).",
)


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=["urn:clinic:problem:not-found"])
    title: str
    status: int
    detail: str


class FieldProblem(BaseModel):
    field: str = Field(description="The field (or `body`, or a header) that was refused.")
    rule: str = Field(description="A stable name of the rule, for programs.")
    detail: str = Field(description="A sentence for people.")


class ValidationProblem(Problem):
    """The request or a booking rule was refused; `errors` say which field and rule."""

    errors: list[FieldProblem]


DESCRIPTIONS = {
    401: "No token, or an unknown one.",
    403: "The token's role may not do this.",
    404: "No such item (for the `bot` role: none of its patient's).",
    409: "Conflicts with the current state.",
    413: "The request body is larger than API_MAX_BODY_BYTES; it was not read.",
    422: "A field, or a rule, refused the request; `errors` say which.",
    503: "The database is unreachable or too slow; retry after `Retry-After` seconds.",
}


def problems(*statuses: int, **models: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for the problems a route answers (a model per status overrides)."""
    return {
        status: {
            "model": models.get(f"s{status}") or (ValidationProblem if status == 422 else Problem),
            "description": DESCRIPTIONS[status],
        }
        for status in statuses
    }


def _as_problem_documents(schema: dict[str, Any]) -> None:
    """Error responses are problem+json (FastAPI documents them as plain JSON); its default
    422 shape is replaced by ours."""
    validation = {"$ref": "#/components/schemas/ValidationProblem"}
    for operation in (op for path in schema["paths"].values() for op in path.values()):
        for status, response in operation.get("responses", {}).items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            body = content.pop("application/json", None) or {}
            if status == "422":
                body = {"schema": validation}
            response["content"] = {PROBLEM_MEDIA_TYPE: body, **content}
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


def _parameters_without_null(schema: dict[str, Any]) -> None:
    """An optional query or header parameter is absent, never `null` (which a client could
    only send as the text "null"): drop the null branch Pydantic gives `X | None`."""
    for operation in (op for path in schema["paths"].values() for op in path.values()):
        for parameter in operation.get("parameters", []):
            param_schema = parameter.get("schema", {})
            branches = [b for b in param_schema.get("anyOf", []) if b != {"type": "null"}]
            if "anyOf" in param_schema and len(branches) < len(param_schema["anyOf"]):
                del param_schema["anyOf"]
                if len(branches) == 1:
                    param_schema.update(branches[0])
                else:
                    param_schema["anyOf"] = branches


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            if "ValidationProblem" not in components:  # no route named it explicitly
                generated = ValidationProblem.model_json_schema(ref_template=REF_TEMPLATE)
                components.update(generated.pop("$defs", {}))
                components["ValidationProblem"] = generated
            _as_problem_documents(schema)
            _parameters_without_null(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
