"""llama-cpp-python's OpenAI-compatible server, taking OpenAI's standard request fields.

llama-cpp-python 0.3 accepts a JSON schema only in its own shape, `{"type": "json_object",
"schema": …}`, and refuses OpenAI's `{"type": "json_schema", "json_schema": {"schema": …}}`
(what pydantic-ai's NativeOutput, vLLM, Ollama and llama.cpp's C++ server speak) with an error.
It also ignores `max_completion_tokens`, the field OpenAI's clients send for a cap. This runs
the same server with both translated, so the assistant talks to it like to any other
OpenAI-compatible endpoint.

It runs inside the model server's own virtualenv (see clinic.llm_server), started by file
path: it imports nothing from `clinic`.
"""

import json
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def translate_request(body: Any) -> Any:
    """OpenAI's `json_schema` response format as llama-cpp-python's `json_object` + schema,
    and OpenAI's `max_completion_tokens` as the `max_tokens` it knows (else it has no cap)."""
    if not isinstance(body, dict):
        return body
    if "max_completion_tokens" in body:
        body.setdefault("max_tokens", body.pop("max_completion_tokens"))
    wanted = body.get("response_format")
    if isinstance(wanted, dict) and wanted.get("type") == "json_schema":
        schema = (wanted.get("json_schema") or {}).get("schema")
        body["response_format"] = {"type": "json_object"} | ({"schema": schema} if schema else {})
    return body


class StandardResponseFormat:
    """ASGI middleware: rewrites the body of chat completion requests, passes the rest."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).endswith("/chat/completions"):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        try:
            raw = json.dumps(translate_request(json.loads(raw))).encode()
        except ValueError:
            pass  # not JSON: the server answers with its own 4xx
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # e.g. the client's disconnect
            replayed = True
            return {"type": "http.request", "body": raw, "more_body": False}

        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(raw)).encode()))
        await self.app({**scope, "headers": headers}, replay, send)


def main() -> None:
    """`python -m llama_cpp.server`, same options, with the translation in front."""
    from llama_cpp.server import __main__ as server

    create_app = server.create_app
    # The module's main() parses the options, builds the app and runs uvicorn: wrap the app.
    server.create_app = lambda **options: StandardResponseFormat(create_app(**options))
    sys.argv[0] = "llama_cpp.server"
    server.main()


if __name__ == "__main__":
    main()
