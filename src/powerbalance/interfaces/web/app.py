"""The dashboard: server-rendered pages over the library, plus the JSON API under /api.

Build an app with :func:`create_app` and serve it with uvicorn (``powerbalance
serve`` does both). Pages and API routes call the same functions of
:mod:`powerbalance.interfaces.web.services`, which call the application layer
(:mod:`powerbalance.app`).
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.middleware.trustedhost import TrustedHostMiddleware

from powerbalance import __version__, i18n
from powerbalance.errors import UnknownIdError, UserError
from powerbalance.interfaces.figures import plotly_js
from powerbalance.interfaces.web import pages
from powerbalance.interfaces.web.api import router as api_router
from powerbalance.interfaces.web.gateway import Body, Gateway
from powerbalance.interfaces.web.jobs import Jobs
from powerbalance.interfaces.web.security import (
    LANG_COOKIE,
    SESSION_COOKIE,
    WRITE_COOKIE,
    BodyLimit,
    JsonDepthLimit,
    SecurityHeaders,
    Settings,
)

#: The folder of this module, where its package data lie.
_HERE = Path(__file__).parent

STATIC_FILES = ("style.css", "app.js")


class Asset:
    """A static file held in memory, gzipped on first demand."""

    def __init__(self, body: bytes, media_type: str) -> None:
        self.body = body
        self.media_type = media_type
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        self._gzipped: bytes | None = None
        self._lock = threading.Lock()

    @property
    def gzipped(self) -> bytes:
        with self._lock:
            if self._gzipped is None:
                self._gzipped = gzip.compress(self.body, compresslevel=5)
            return self._gzipped


def _asset(body: bytes, media_type: str) -> Asset:
    return Asset(body, media_type)


@lru_cache(maxsize=1)
def static_assets() -> dict[str, Asset]:
    """The static files, read once from the package (and Plotly's JS from the plotly package)."""
    root = _HERE / "static"
    out = {}
    for name in STATIC_FILES:
        media = "text/css" if name.endswith(".css") else "text/javascript"
        out[name] = _asset((root / name).read_bytes(), media + "; charset=utf-8")
    out["plotly.min.js"] = _asset(plotly_js().encode("utf-8"), "text/javascript; charset=utf-8")
    return out


class Context:
    """What routes need: settings, store gateway, jobs, templates."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.gateway = Gateway(settings.store_path)
        self.jobs = Jobs()
        directory = str(_HERE / "templates")
        self.templates = Jinja2Templates(directory=directory)
        self.templates.env.globals["version"] = __version__

    def lang(self, request: Request) -> str:
        asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return i18n.normalise_lang(asked or self.settings.default_lang)

    def unlocked(self, request: Request) -> bool:
        return self.settings.write_cookie_ok(request.cookies.get(WRITE_COOKIE))

    def _context(self, request: Request, session: str, context: dict[str, Any]) -> dict[str, Any]:
        lang = self.lang(request)
        return {
            "request": request,
            "lang": lang,
            **i18n.helpers(lang),  # t, term, arith, narr, fmt_value, claim_value
            "csrf": self.settings.csrf_token(session),
            "writable": self.settings.writable,
            "unlocked": self.unlocked(request),
            "path": request.url.path,
            "nav": pages.NAV,
            **context,
        }

    def _cookies(self, request: Request, response: Response, session: str, new: bool) -> None:
        if new:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        if request.query_params.get("lang") in i18n.LANGUAGES:
            response.set_cookie(
                LANG_COOKIE, self.lang(request), samesite="lax", max_age=365 * 86400
            )

    async def render_cached(
        self,
        request: Request,
        template: str,
        build: Callable[[], dict[str, Any]],
    ) -> Response:
        """Render a page that holds no form: its HTML is cached per store state and query.

        ``build`` gathers the page's data (it runs in a thread on a cache miss).
        """
        session = request.cookies.get(SESSION_COOKIE)
        new_session = not session
        session = session or secrets.token_urlsafe(18)
        key = (
            "page",
            template,
            request.url.path,
            str(request.query_params),
            self.lang(request),
            self.unlocked(request),
        )

        def compute() -> Body:
            ctx = self._context(request, session, build())
            return Body.of(self.templates.get_template(template).render(ctx).encode("utf-8"))

        body = await self.gateway.cached_async(key, compute)
        response = body.response(
            request.headers.get("accept-encoding", ""), "text/html; charset=utf-8"
        )
        self._cookies(request, response, session, new_session)
        return response

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any],
        *,
        status_code: int = 200,
    ) -> HTMLResponse:
        session = request.cookies.get(SESSION_COOKIE)
        new_session = not session
        if new_session:
            session = secrets.token_urlsafe(18)
        assert session is not None
        lang = self.lang(request)
        ctx = {
            "lang": lang,
            **i18n.helpers(lang),  # t, term, arith, narr, fmt_value, claim_value
            "csrf": self.settings.csrf_token(session),
            "writable": self.settings.writable,
            "unlocked": self.unlocked(request),
            "path": request.url.path,
            "nav": pages.NAV,
            **context,
        }
        response = self.templates.TemplateResponse(request, template, ctx, status_code=status_code)
        if new_session:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        if request.query_params.get("lang") in i18n.LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
        return response


def create_app(settings: Settings | None = None) -> FastAPI:
    """The dashboard application for ``settings`` (default: loopback, read-only).

    Examples
    --------
    The app is usually served by ``powerbalance serve``; tests drive it with
    FastAPI's ``TestClient``::

        from fastapi.testclient import TestClient
        client = TestClient(create_app(Settings(store_path=path)), base_url="http://127.0.0.1")
        client.get("/api/overview").json()
    """
    settings = settings or Settings()
    ctx = Context(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.jobs.shutdown()

    app = FastAPI(
        lifespan=lifespan,
        title="powerbalance",
        version=__version__,
        description=(
            "The balance of power among great powers: evidence, relations, theory, "
            "scenarios. Read endpoints are open; writes need the server's write token "
            "as `Authorization: Bearer TOKEN`."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI would load its assets from a CDN; the schema is enough
        redoc_url=None,
    )
    app.state.ctx = ctx
    app.add_middleware(JsonDepthLimit, limit=settings.max_json_depth)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.include_router(pages.router)
    app.include_router(api_router)

    @app.exception_handler(UserError)
    async def _user_error(request: Request, exc: UserError) -> Response:
        status = 404 if isinstance(exc, UnknownIdError) and request.method == "GET" else 400
        # An error may name its own status (429 when the job queue is full).
        status = getattr(exc, "http_status", status)
        if request.url.path.startswith("/api"):
            return JSONResponse({"error": str(exc), "kind": type(exc).__name__}, status)
        return ctx.render(request, "error.html", {"message": str(exc)}, status_code=status)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str, request: Request) -> Response:
        # Only the names read at start-up are served: the request never reaches a path.
        asset = static_assets().get(name)
        if asset is None:
            return Response("not found", status_code=404, media_type="text/plain")
        headers = {"ETag": asset.etag, "Cache-Control": "public, max-age=86400"}
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
            return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    return app


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
