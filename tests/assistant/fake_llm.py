"""A small OpenAI-compatible Chat Completions server on loopback, scripted like a clinic manager.

On a patient message it calls `find_free_slots` (dentist for teeth, else therapist); given the
tool's result, it returns the structured decision proposing the first slots it was given. It
records every request so tests can check the wire shapes.
"""

import json
import re
import socket
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DENTAL = re.compile(r"зуб|tooth|teeth|dentist|стоматолог", re.IGNORECASE)


def _completion(message: dict[str, Any], model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _tool_call(call_id: str, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": call_id,
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)},
            }
        ],
    }


@dataclass
class FakeChatCompletions:
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    status: int = 200  # set to 500 to play an outage
    url: str = ""
    _runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        if self.status != 200:
            return web.json_response({"error": {"message": "boom"}}, status=self.status)
        last = body["messages"][-1]
        output_tool = next(
            t["function"]["name"] for t in body["tools"] if t["function"]["name"] == "final_result"
        )
        if last["role"] == "user":
            specialty = "dentist" if DENTAL.search(str(last["content"])) else "therapist"
            message = _tool_call("call_1", "find_free_slots", {"specialty": specialty, "limit": 3})
        else:
            slots = json.loads(last["content"])
            message = _tool_call(
                "call_2",
                output_tool,
                {
                    "act": "inform",
                    "reply": "Нашёл свободное время." if slots else "Свободного времени нет.",
                    "specialty": slots[0]["specialty"] if slots else None,
                    "proposals": [
                        {"doctor_id": s["doctor_id"], "start": s["start"]} for s in slots[:3]
                    ],
                },
            )
        return web.json_response(_completion(message, body["model"]))

    async def start(self) -> "FakeChatCompletions":
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}/v1"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
