"""Every error the API answers: ``{"error": {"code", "message", "problems"}}``.

401 a missing, malformed, expired or revoked token; 403 a valid token outside its role;
404 unknown ids and anything of a case the caller was not invited to (so a probe cannot
tell "exists" from "absent"); 409 a state conflict (a closed case, an answered draft);
413 an oversized body; 422 invalid content, with located problems. Messages never
carry a private number or a token.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.errors import Problem, ScenarioError, format_path

__all__ = ["ApiError", "error_body", "install_error_handlers", "problem_data"]

_log = logging.getLogger("accord.service")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, problems: Sequence[dict[str, Any]] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = list(problems)

    @classmethod
    def invalid(cls, error: ScenarioError, what: str) -> ApiError:
        return cls(422, f"invalid {what}", [problem_data(p) for p in error.problems])


NOT_FOUND_MESSAGE = "not found"


def not_found() -> ApiError:
    """The same answer for "absent" and "not yours": nothing to learn from probing."""
    return ApiError(404, NOT_FOUND_MESSAGE)


def problem_data(problem: Problem) -> dict[str, Any]:
    return {
        "path": format_path(problem.path) if problem.path else None,
        "line": problem.location.line if problem.location else None,
        "column": problem.location.column if problem.location else None,
        "message": problem.message,
        "hint": problem.hint,
        "text": str(problem),
    }


def error_body(status: int, message: str, problems: Sequence[Any] = ()) -> dict[str, Any]:
    code = _CODES.get(status, "error")
    return {"error": {"code": code, "message": message, "problems": list(problems)}}


def _respond(status: int, message: str, problems: Sequence[Any] = ()) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(status, message, problems), status, headers=headers)


def _validation_problems(error: RequestValidationError) -> list[dict[str, Any]]:
    problems = []
    for item in error.errors():
        location = [part for part in item.get("loc", ()) if part != "body"]
        path = format_path(tuple(p for p in location if isinstance(p, str | int)))
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(
            {
                "path": path,
                "line": None,
                "column": None,
                "message": message,
                "hint": None,
                "text": f"{path}: {message}",
            }
        )
    return problems


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_request: Request, error: ApiError) -> JSONResponse:
        return _respond(error.status, error.message, error.problems)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        # The raw error carries the input: never echo it (it may hold private numbers).
        return _respond(422, "invalid request", _validation_problems(error))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        message = error.detail if isinstance(error.detail, str) else "error"
        return _respond(error.status_code, message.lower())

    @app.exception_handler(Exception)
    async def _internal(request: Request, error: Exception) -> JSONResponse:
        # The type only: an exception's message may quote private data.
        _log.error(
            "internal error on %s %s: %s", request.method, request.url.path, type(error).__name__
        )
        return _respond(500, "internal error")
