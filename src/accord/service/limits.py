"""A request body limit enforced before any route reads the body (413 beyond it).

A pure ASGI middleware: it refuses a declared ``Content-Length`` over the limit at once,
and counts the bytes of a body sent without one (chunked), refusing as soon as the
count passes the limit; nothing is stored because no route has run.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.service.errors import error_body

__all__ = ["MAX_BODY_BYTES", "BodyLimit"]

MAX_BODY_BYTES = 2 * 1024 * 1024


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        seen = 0
        refused = False

        async def counting_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit and not refused:
                    refused = True
                    await self._refuse(send)
                    return {"type": "http.disconnect"}  # the route stops reading here
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:  # after a refusal the app's own answer is dropped
                await send(message)

        await self.app(scope, counting_receive, guarded_send)

    async def _refuse(self, send: Send) -> None:
        mib = self.limit / 2**20
        body: dict[str, Any] = error_body(413, f"request body larger than {mib:g} MiB")
        payload = json.dumps(body).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"connection", b"close"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
