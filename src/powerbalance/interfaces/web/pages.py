"""Server-rendered pages. Each route gathers one section and renders a template."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from powerbalance.actors import TRIANGLE
from powerbalance.app import pages as app_pages
from powerbalance.app.ingest import ReviewError, verification_status
from powerbalance.errors import InputFileError, UserError
from powerbalance.evidence.models import ID_PATTERN
from powerbalance.evidence.vocabulary import INDICATORS, UNITS
from powerbalance.interfaces import figures as charts
from powerbalance.interfaces.web import services
from powerbalance.interfaces.web.forms import FIELDS, ClaimFormError, claim_from_form
from powerbalance.interfaces.web.security import WRITE_COOKIE, write_denied

router = APIRouter(include_in_schema=False)

NAV = [
    ("overview", "/"),
    ("dependence", "/dependence"),
    ("evidence", "/evidence"),
    ("datasets", "/datasets"),
    ("events", "/events"),
    ("history", "/history"),
    ("bargaining", "/bargaining"),
    ("scenarios", "/scenarios"),
    ("review", "/review"),
]
KINDS = ("claim", "event", "stance", "source", "actor")
PAGE_SIZE = 100
QUALIFIERS = ("exact", "about", "at_least", "at_most", "more_than", "less_than")


def _ctx(request: Request) -> Any:
    return request.app.state.ctx


def _forbidden(request: Request, reason: str) -> HTMLResponse:
    return _ctx(request).render(request, "error.html", {"message": reason}, status_code=403)


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form(max_files=1, max_fields=64)
    return {k: v for k, v in form.multi_items()}


@router.get("/", response_class=HTMLResponse)
async def overview(request: Request) -> Response:
    ctx = _ctx(request)
    lang = ctx.lang(request)

    def build() -> dict[str, Any]:
        data = services.overview(ctx.gateway, lang)
        return {"data": data, "figure": services.triangle_chart(ctx.gateway, data, lang)}

    return await ctx.render_cached(request, "overview.html", build)


@router.get("/dependence", response_class=HTMLResponse)
async def dependence(request: Request) -> Response:
    ctx = _ctx(request)
    lang = ctx.lang(request)

    def build() -> dict[str, Any]:
        data = services.dependence(ctx.gateway, lang)
        by_indicator: dict[str, list[dict[str, Any]]] = {}
        for s in data["series"]:
            by_indicator.setdefault(s["indicator"], []).append(s)
        # a line needs two points in time; single figures are listed in a table instead
        figures = {
            k: charts.series_figure(v, title=k)
            for k, v in sorted(by_indicator.items())
            if len({p["x"] for s in v for p in s["points"]}) > 1
        }
        single = [
            {**s, **p}
            for k, v in sorted(by_indicator.items())
            if k not in figures
            for s in v
            for p in s["points"]
        ]
        return {"data": data, "figures": figures, "single": single}

    return await ctx.render_cached(request, "dependence.html", build)


def _filters(request: Request) -> dict[str, str | None]:
    q = request.query_params
    # claims first: the list opens on them; "all" (or an empty choice) lists every kind
    kind = q.get("kind", "claim") or None
    if kind not in KINDS:
        kind = None
    return {
        "kind": kind,
        "actor": (q.get("actor") or "").strip()[:80] or None,
        "indicator": (q.get("indicator") or "").strip()[:120] or None,
        "text": (q.get("q") or "").strip()[:200] or None,
    }


@router.get("/evidence", response_class=HTMLResponse)
async def evidence(request: Request) -> Response:
    ctx = _ctx(request)
    lang = ctx.lang(request)
    filters = _filters(request)
    try:
        page = max(0, int(request.query_params.get("page", "0")))
    except ValueError:
        page = 0

    def build() -> dict[str, Any]:
        rows = services.evidence_rows(ctx.gateway, lang, **filters)
        ev = ctx.gateway.evidence()
        return {
            "rows": rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE],
            "total": len(rows),
            "page": page,
            "pages": (len(rows) + PAGE_SIZE - 1) // PAGE_SIZE,
            "filters": filters,
            "kinds": KINDS,
            "actors": sorted(a.id for a in ev.actors),
            "indicators": sorted(INDICATORS),
            # the coverage table of `powerbalance verify`, for every claim (not only those shown)
            "coverage": app_pages.verification_coverage(services.verified(ctx.gateway), lang=lang),
        }

    return await ctx.render_cached(request, "evidence.html", build)


@router.get("/evidence/new", response_class=HTMLResponse)
def new_claim(request: Request) -> HTMLResponse:
    return _claim_form(request, {}, {})


def _claim_form(
    request: Request, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
) -> HTMLResponse:
    ctx = _ctx(request)
    ev = ctx.gateway.evidence()
    return ctx.render(
        request,
        "claim_form.html",
        {
            "values": values,
            "errors": errors,
            "fields": FIELDS,
            "indicators": [(k, k) for k in sorted(INDICATORS)],
            "units": [(u, u) for u in sorted(UNITS)],
            "actors": [(a, a) for a in sorted((a.id for a in ev.actors), key=str.lower)],
            "sources": [(s.id, f"{s.id}: {s.publication}, {s.title}") for s in ev.sources],
            "qualifiers": [(q, q) for q in QUALIFIERS],
        },
        status_code=status_code,
    )


@router.post("/evidence/new", response_class=HTMLResponse)
async def add_claim(request: Request) -> Response:
    ctx = _ctx(request)
    form = await _form(request)
    reason = write_denied(ctx.settings, request.headers, request.cookies, form.get("csrf"))
    if reason:
        return _forbidden(request, reason)
    values = {k: str(form.get(k, "")) for k in FIELDS}
    try:
        claim = claim_from_form(form)
        ctx.gateway.add_records([claim])
    except ClaimFormError as exc:
        return _claim_form(request, values, exc.errors, status_code=422)
    except UserError as exc:
        return _claim_form(request, values, {"claim": str(exc)}, status_code=422)
    return RedirectResponse(f"/evidence/{claim.id}?added=1", status_code=303)


@router.get("/evidence/{record_id}", response_class=HTMLResponse)
def evidence_detail(request: Request, record_id: str) -> HTMLResponse:
    ctx = _ctx(request)
    if not re.fullmatch(ID_PATTERN, record_id) or len(record_id) > 80:
        return ctx.render(request, "error.html", {"message": "not an evidence id"}, status_code=404)
    row = services.record(ctx.gateway, record_id, ctx.lang(request))
    return ctx.render(
        request,
        "record.html",
        {"row": row, "added": request.query_params.get("added") == "1"},
    )


@router.get("/datasets", response_class=HTMLResponse)
async def datasets(request: Request) -> Response:
    ctx = _ctx(request)
    return await ctx.render_cached(
        request, "datasets.html", lambda: {"data": services.datasets(ctx.gateway)}
    )


@router.get("/events", response_class=HTMLResponse)
async def events(request: Request) -> Response:
    ctx = _ctx(request)
    lang = ctx.lang(request)

    def build() -> dict[str, Any]:
        data = services.events(ctx.gateway, lang, ctx.settings.events_file)
        figure = charts.timeline_figure(data["events"], lang=lang) if data["events"] else None
        series = data["series"] or {}
        figures = {}
        if series.get("status") == "ok":
            figures["net"] = charts.series_figure(series["dyads"], title="net cooperation")
            figures["triangle"] = charts.triangle_figure(
                list(TRIANGLE), series["relations"], lang=lang
            )
        return {"data": data, "figure": figure, "series_figures": figures}

    return await ctx.render_cached(request, "events.html", build)


def _year(request: Request) -> int | None:
    """The ``?year=`` of a request, when it is a plain year number (else none chosen)."""
    text = (request.query_params.get("year") or "").strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


@router.get("/history", response_class=HTMLResponse)
async def history(request: Request) -> Response:
    ctx = _ctx(request)
    lang = ctx.lang(request)
    year = _year(request)

    def build() -> dict[str, Any]:
        from powerbalance.app.data import registrations

        result = ctx.gateway.cached(
            "history",
            lambda: app_pages.history_result(
                ctx.gateway.evidence(), ctx.gateway.read(registrations)
            ),
        )
        data = app_pages.history(result, year=year)
        figure = triangle = None
        if data["status"] == "ok":
            view = data["result"]
            figure = charts.history_figure(view, lang=lang)
            detail = view.get("year")
            if detail and detail.get("triangle"):
                tri = detail["triangle"]
                triangle = charts.triangle_figure(
                    list(tri["actors"]),
                    [{**tie, "weight": tie["sign"] * tie["strength"]} for tie in tri["ties"]],
                    roles=tri["roles"],
                    lang=lang,
                )
        known = {r.id for r in ctx.gateway.evidence()}
        return {"data": data, "figure": figure, "triangle": triangle, "known": known}

    return await ctx.render_cached(request, "history.html", build)


@router.get("/bargaining", response_class=HTMLResponse)
async def bargaining(request: Request) -> Response:
    ctx = _ctx(request)
    name = request.query_params.get("set") or None
    model = request.query_params.get("model") or None

    def build() -> dict[str, Any]:
        data = services.bargaining(ctx.gateway, name, model)
        return {"data": data, "figures": charts.bargaining_figures(data)}

    return await ctx.render_cached(request, "bargaining.html", build)


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios(request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    data = services.scenarios(ctx.gateway)
    return ctx.render(
        request, "scenarios.html", {"data": data, "jobs": [j.public() for j in ctx.jobs.all()]}
    )


@router.post("/scenarios/run", response_class=HTMLResponse)
async def run_scenario(request: Request) -> Response:
    ctx = _ctx(request)
    form = await request.form(
        max_files=1, max_fields=16, max_part_size=ctx.settings.max_upload_bytes
    )
    fields = {k: v for k, v in form.multi_items()}
    reason = write_denied(ctx.settings, request.headers, request.cookies, str(fields.get("csrf")))
    if reason:
        return _forbidden(request, reason)
    upload = fields.get("file")
    text: str | None = None
    if upload is not None and hasattr(upload, "read"):
        content = await upload.read(ctx.settings.max_upload_bytes + 1)
        if len(content) > ctx.settings.max_upload_bytes:
            return ctx.render(
                request,
                "error.html",
                {
                    "message": f"the uploaded file is larger than {ctx.settings.max_upload_bytes} bytes"
                },
                status_code=413,
            )
        if content:
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                return ctx.render(
                    request,
                    "error.html",
                    {"message": "the uploaded scenario is not UTF-8 text (TOML)"},
                    status_code=400,
                )
    job = services.start_scenario(
        ctx.gateway,
        ctx.jobs,
        name=str(fields.get("name") or "") or None,
        text=text,
        draws=str(fields.get("draws") or ""),
        seed=str(fields.get("seed") or ""),
    )
    return RedirectResponse(f"/scenarios/jobs/{job.id}", status_code=303)


@router.get("/scenarios/jobs/{job_id}", response_class=HTMLResponse)
def scenario_job(request: Request, job_id: str) -> HTMLResponse:
    ctx = _ctx(request)
    job = ctx.jobs.get(job_id[:32])
    public = job.public()
    result = public.get("result")
    done = job.status == "done" and isinstance(result, dict)
    figures = charts.scenario_figures(result, lang=ctx.lang(request)) if done else {}
    return ctx.render(request, "job.html", {"job": public, "figures": figures})


@router.get("/scenarios/runs/{run_id}", response_class=HTMLResponse)
def scenario_run(request: Request, run_id: str) -> HTMLResponse:
    ctx = _ctx(request)
    result = services.stored_run(ctx.gateway, run_id[:80])
    figures = charts.scenario_figures(result, lang=ctx.lang(request))
    return ctx.render(request, "run.html", {"run": result, "figures": figures})


@router.get("/scenarios/compare", response_class=HTMLResponse)
def scenario_compare(request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    a = (request.query_params.get("a") or "")[:80]
    b = (request.query_params.get("b") or "")[:80]
    data = services.compare_runs(ctx.gateway, a, b)
    return ctx.render(request, "compare.html", {"data": data, "a": a, "b": b})


# --- the Review page: candidates proposed by `powerbalance ingest` ------------------------

CANDIDATE_ID = re.compile(r"cand-[0-9a-f]{12}")
REVIEWER_CHARS = 80


def _review(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    edits: dict[str, str] | None = None,
    fields: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    ctx = _ctx(request)
    q = request.query_params
    accepted = q.get("accepted") or ""
    accepted = accepted if re.fullmatch(ID_PATTERN, accepted) and len(accepted) <= 80 else ""
    status = verification_status(q.get("verification"))
    rejected = q.get("rejected") or ""
    rejected = rejected if CANDIDATE_ID.fullmatch(rejected) else ""
    return ctx.render(
        request,
        "review.html",
        {
            "candidates": services.pending_review(ctx.gateway),
            "errors": errors or {},
            "values": values or {},
            "edits": edits or {},
            "fields": fields or {},
            "accepted": accepted,
            "verification": status,
            "rejected": rejected,
        },
        status_code=status_code,
    )


@router.get("/review", response_class=HTMLResponse)
def review(request: Request) -> HTMLResponse:
    return _review(request)


@router.post("/review/{candidate_id}", response_class=HTMLResponse)
async def review_action(request: Request, candidate_id: str) -> Response:
    """Accept (with the reviewer's statement) or reject one candidate; needs the write token."""
    ctx = _ctx(request)
    form = await _form(request)
    reason = write_denied(ctx.settings, request.headers, request.cookies, form.get("csrf"))
    if reason:
        return _forbidden(request, reason)
    if not CANDIDATE_ID.fullmatch(candidate_id):
        return ctx.render(request, "error.html", {"message": "not a candidate id"}, status_code=404)
    reviewer = " ".join(str(form.get("reviewer") or "").split())[:REVIEWER_CHARS] or "dashboard"
    statement = str(form.get("statement") or "")[:4000]
    edits = str(form.get("edits") or "")[:4000]
    try:
        if form.get("action") == "reject":
            rejected = services.reject_candidate(ctx.gateway, candidate_id, reviewer=reviewer)
            return RedirectResponse(f"/review?rejected={rejected}", status_code=303)
        done = services.accept_candidate(
            ctx.gateway, candidate_id, reviewer=reviewer, statement=statement, edits=edits
        )
    except UserError as exc:
        field = exc.field if isinstance(exc, (ReviewError, InputFileError)) else None
        return _review(
            request,
            errors={candidate_id: str(exc)},
            values={candidate_id: statement},
            edits={candidate_id: edits},
            fields={candidate_id: field} if field else {},
            status_code=422,
        )
    target = f"/review?accepted={done['record']}"
    if done["status"]:
        target += f"&verification={done['status']}"
    return RedirectResponse(target, status_code=303)


#: Where /unlock may send the browser back to (never a URL from elsewhere).
UNLOCK_TARGETS = ("/evidence/new", "/review", "/scenarios")


@router.get("/unlock", response_class=HTMLResponse)
def unlock_form(request: Request) -> HTMLResponse:
    target = request.query_params.get("next")
    return _ctx(request).render(
        request,
        "unlock.html",
        {"error": None, "next": target if target in UNLOCK_TARGETS else None},
    )


@router.post("/unlock", response_class=HTMLResponse)
async def unlock(request: Request) -> Response:
    ctx = _ctx(request)
    form = await _form(request)
    settings = ctx.settings
    if not settings.writable:
        return _forbidden(request, write_denied(settings, request.headers, {}, None) or "")
    from powerbalance.interfaces.web.security import SESSION_COOKIE, same_origin

    if not same_origin(request.headers) or not settings.csrf_ok(
        request.cookies.get(SESSION_COOKIE), str(form.get("csrf", ""))
    ):
        return _forbidden(request, "cross-site or stale form refused: reload the page")
    if not settings.token_matches(str(form.get("token", ""))):
        target = str(form.get("next") or "")
        return ctx.render(
            request,
            "unlock.html",
            {"error": "wrong token", "next": target if target in UNLOCK_TARGETS else None},
            status_code=403,
        )
    target = str(form.get("next") or "")
    response = RedirectResponse(
        target if target in UNLOCK_TARGETS else "/evidence/new", status_code=303
    )
    response.set_cookie(
        WRITE_COOKIE, settings.write_cookie_value(), httponly=True, samesite="strict"
    )
    return response
