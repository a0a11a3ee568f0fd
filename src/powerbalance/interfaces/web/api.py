"""The JSON API under /api: the same sections as the pages, as data.

Reads are open. Writes (``POST /api/claims``, ``POST /api/scenarios/run``)
need ``Authorization: Bearer TOKEN`` with the server's write token (or, from
the dashboard's own pages, the write cookie plus the ``X-CSRF-Token`` header).
The schema is served at ``/api/openapi.json``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError

from powerbalance import __version__, i18n
from powerbalance.app.present import plain
from powerbalance.evidence.models import Claim, explain
from powerbalance.interfaces.web import services
from powerbalance.interfaces.web.gateway import Body
from powerbalance.interfaces.web.security import CSRF_HEADER, write_denied

router = APIRouter(prefix="/api", tags=["api"])

KINDS = ("claim", "event", "stance", "source", "actor")


def _ctx(request: Request) -> Any:
    return request.app.state.ctx


def _json(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(plain(data), status_code=status_code)


def _encode(data: Any) -> bytes:
    return json.dumps(
        plain(data), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode("utf-8")


async def _cached_json(request: Request, key: Any, compute: Any) -> Response:
    """JSON of a read endpoint, encoded once per store state (the body is cached, not rebuilt)."""
    gateway = _ctx(request).gateway
    body = await gateway.cached_async(("api", key), lambda: Body.of(_encode(compute())))
    return body.response(request.headers.get("accept-encoding", ""), "application/json")


def _lang(request: Request, lang: str | None) -> str:
    return i18n.normalise_lang(lang or _ctx(request).settings.default_lang)


def _denied(request: Request) -> JSONResponse | None:
    reason = write_denied(
        _ctx(request).settings, request.headers, request.cookies, request.headers.get(CSRF_HEADER)
    )
    if reason is None:
        return None
    return JSONResponse({"error": reason, "kind": "WriteForbidden"}, status_code=403)


@router.get("/health", summary="Server status, version and whether it accepts writes")
def health(request: Request) -> JSONResponse:
    ctx = _ctx(request)
    return _json(
        {
            "status": "ok",
            "version": __version__,
            "writable": ctx.settings.writable,
        }
    )


@router.get("/overview", summary="Triangle, roles, assessment and headline claims")
async def overview(
    request: Request, lang: str | None = Query(None, pattern="^(en|sv)$")
) -> Response:
    code = _lang(request, lang)
    gateway = _ctx(request).gateway
    return await _cached_json(request, ("overview", code), lambda: services.overview(gateway, code))


@router.get("/relations", summary="Evidence-derived signed, weighted ties of the triangle")
async def relations(request: Request) -> Response:
    gateway = _ctx(request).gateway
    return await _cached_json(request, "relations", lambda: services.relations(gateway))


@router.get("/dependence", summary="Dependence channels over time and dependence indicators")
async def dependence(
    request: Request, lang: str | None = Query(None, pattern="^(en|sv)$")
) -> Response:
    code = _lang(request, lang)
    gateway = _ctx(request).gateway
    return await _cached_json(
        request, ("dependence", code), lambda: services.dependence(gateway, code)
    )


@router.get("/evidence", summary="Search and filter claims, events, stances, sources, actors")
def evidence(
    request: Request,
    kind: str | None = Query(None, pattern="^(claim|event|stance|source|actor)$"),
    actor: str | None = Query(None, max_length=80),
    indicator: str | None = Query(None, max_length=120, description="a glob, e.g. trade.*"),
    q: str | None = Query(None, max_length=200, description="free text"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    lang: str | None = Query(None, pattern="^(en|sv)$"),
) -> JSONResponse:
    rows = services.evidence_rows(
        _ctx(request).gateway,
        _lang(request, lang),
        kind=kind,
        actor=actor or None,
        indicator=indicator or None,
        text=q or None,
    )
    return _json({"total": len(rows), "offset": offset, "records": rows[offset : offset + limit]})


@router.get("/evidence/{record_id}", summary="One evidence record with its source")
def record(
    request: Request, record_id: str, lang: str | None = Query(None, pattern="^(en|sv)$")
) -> JSONResponse:
    return _json(services.record(_ctx(request).gateway, record_id[:80], _lang(request, lang)))


@router.post(
    "/claims",
    status_code=201,
    summary="Add a claim (validated by the evidence model; needs the write token)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": Claim.model_json_schema()}},
        }
    },
)
async def add_claim(request: Request) -> JSONResponse:
    denied = _denied(request)
    if denied is not None:
        return denied
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deeply
        return JSONResponse({"error": "the body is not JSON"}, status_code=400)
    try:
        claim = Claim.model_validate(body)
    except ValidationError as exc:
        # The same plain words as `evidence import` (what is allowed), never pydantic's text.
        errors = [
            {"field": p.field or "claim", "problem": p.message} for p in explain(exc, "claim")
        ]
        return JSONResponse({"error": "invalid claim", "errors": errors}, status_code=422)
    ctx = _ctx(request)
    ctx.gateway.add_records([claim])  # a UserError (duplicate id, unknown source) -> 400
    return _json(services.record(ctx.gateway, claim.id, "en"), status_code=201)


@router.get("/datasets", summary="Dataset cards and files registered in the store")
def datasets(request: Request) -> JSONResponse:
    return _json(services.datasets(_ctx(request).gateway))


@router.get("/events", summary="Dated events of the evidence and stored event series")
def events(request: Request, lang: str | None = Query(None, pattern="^(en|sv)$")) -> JSONResponse:
    ctx = _ctx(request)
    return _json(services.events(ctx.gateway, _lang(request, lang), ctx.settings.events_file))


@router.get("/bargaining", summary="A bundled actor set's forecast beside its baselines")
def bargaining(
    request: Request,
    set: str | None = Query(None, max_length=80),
    model: str | None = Query(None, max_length=20),
) -> JSONResponse:
    from powerbalance.app.bargaining import UnknownActorSet, actor_sets, models

    # An unknown set or model is an error, never silently another one.
    sets = actor_sets()
    names = [m.name for m in models()]
    if set and set not in sets:
        return JSONResponse(
            {"error": str(UnknownActorSet(set, sets)), "kind": "UnknownActorSet", "known": sets},
            status_code=404,
        )
    if model and model not in names:
        return JSONResponse(
            {
                "error": f"unknown model '{model}'; choose one of {', '.join(names)}",
                "kind": "BargainingOptionError",
                "known": names,
            },
            status_code=400,
        )
    return _json(services.bargaining(_ctx(request).gateway, set or None, model or None))


@router.get("/scenarios", summary="Bundled scenarios and stored runs")
def scenarios(request: Request) -> JSONResponse:
    return _json(services.scenarios(_ctx(request).gateway))


class ScenarioRequest(BaseModel):
    """Run a bundled scenario by name, or a scenario given as TOML text."""

    name: str | None = Field(None, max_length=80)
    text: str | None = Field(None, max_length=256_000)
    # Checked against the limit 'web.scenario.draws' by app.scenarios.prepare_request, which
    # names the limit (and checks a file's own draws too).
    draws: int | None = Field(None, ge=1, description="at most the limit web.scenario.draws")
    seed: int | None = Field(None, ge=0)


@router.post("/scenarios/run", status_code=202, summary="Start a scenario run in the background")
def run_scenario(request: Request, body: ScenarioRequest) -> JSONResponse:
    denied = _denied(request)
    if denied is not None:
        return denied
    ctx = _ctx(request)
    job = services.start_scenario(
        ctx.gateway, ctx.jobs, name=body.name, text=body.text, draws=body.draws, seed=body.seed
    )
    return _json(job.public(with_result=False), status_code=202)


@router.get("/jobs", summary="Background jobs of this server")
def jobs(request: Request) -> JSONResponse:
    return _json([j.public(with_result=False) for j in _ctx(request).jobs.all()])


@router.get("/jobs/{job_id}", summary="A background job's progress and result")
def job(request: Request, job_id: str, result: bool = True) -> JSONResponse:
    return _json(_ctx(request).jobs.get(job_id[:32]).public(with_result=result))


@router.get("/runs/{run_id}", summary="A stored scenario run")
def run(request: Request, run_id: str) -> JSONResponse:
    return _json(services.stored_run(_ctx(request).gateway, run_id[:80]))


@router.get("/compare", summary="Two stored scenario runs side by side")
def compare(
    request: Request, a: str = Query(..., max_length=80), b: str = Query(..., max_length=80)
) -> JSONResponse:
    return _json(services.compare_runs(_ctx(request).gateway, a, b))
