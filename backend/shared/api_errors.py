"""Every error leaves an API (station or platform) as JSON with a machine code and a message in zh and en."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from .errors import INTERNAL, NOT_FOUND, VALIDATION, AppError

log = logging.getLogger(__name__)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


async def _app_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(exc.as_dict(), status_code=exc.status, headers=headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [".".join(str(p) for p in e["loc"] if p != "body") for e in exc.errors()][:10]
    error = AppError(VALIDATION, detail="; ".join(fields))
    body = error.as_dict() | {"fields": fields}
    return JSONResponse(body, status_code=error.status)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = NOT_FOUND if exc.status_code == 404 else VALIDATION
    body = AppError(code, detail=str(exc.detail)).as_dict()
    return JSONResponse(body, status_code=exc.status_code)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(AppError(INTERNAL).as_dict(), status_code=500)
