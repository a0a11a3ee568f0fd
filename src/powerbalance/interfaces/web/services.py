"""Glue between routes and the application layer: which store data each page gets, and caching.

Pages and API routes call these functions, so both show the same results;
results are cached per state of the store file (see :class:`Gateway`). The
content itself comes from :mod:`powerbalance.app` (the same functions the
report uses); this module only reads the store through the gateway.
"""

from __future__ import annotations

from typing import Any

from powerbalance.app import pages
from powerbalance.app import scenarios as scenario_use
from powerbalance.app.data import claim_statuses, registrations
from powerbalance.app.present import actor_name, record_row
from powerbalance.app.present import evidence_rows as rows_of
from powerbalance.interfaces import figures
from powerbalance.interfaces.web.gateway import Gateway
from powerbalance.interfaces.web.jobs import Job, Jobs, Progress


def verified(gateway: Gateway) -> dict[str, dict[str, Any]]:
    """Claim verification against the registered datasets, once per store state."""

    def compute() -> dict[str, dict[str, Any]]:
        # the registrations are read under the store lock; the datasets are read outside it
        registered = gateway.read(registrations)
        return claim_statuses(gateway.evidence(), registered)

    return gateway.cached("verification", compute)


def overview(gateway: Gateway, lang: str) -> dict[str, Any]:
    return gateway.cached(
        ("overview", lang),
        lambda: pages.overview(gateway.evidence(), lang=lang, verified=verified(gateway)),
    )


def relations(gateway: Gateway) -> dict[str, Any]:
    return gateway.cached("relations", lambda: pages.relations_section(gateway.evidence()))


def roles_of(triangle: dict[str, Any]) -> dict[str, str]:
    """Actor -> role label from a triangle section."""
    result = triangle.get("result") if triangle.get("status") == "ok" else None
    if not isinstance(result, dict):
        return {}
    return {str(a): str(r) for a, r in result["roles"].items()}


def triangle_chart(gateway: Gateway, data: dict[str, Any], lang: str) -> dict[str, Any] | None:
    rel = data["relations"]
    if rel.get("status") != "ok":
        return None
    ev = gateway.evidence()
    names = {a: actor_name(ev, a, lang) or a for a in rel["actors"]}
    return figures.triangle_figure(
        rel["actors"], rel["relations"], names=names, roles=roles_of(data["triangle"]), lang=lang
    )


def dependence(gateway: Gateway, lang: str) -> dict[str, Any]:
    return gateway.cached(
        ("dependence", lang), lambda: pages.dependence(gateway.evidence(), lang=lang)
    )


def evidence_rows(
    gateway: Gateway,
    lang: str,
    *,
    kind: str | None = None,
    actor: str | None = None,
    indicator: str | None = None,
    text: str | None = None,
) -> list[dict[str, Any]]:
    def compute() -> list[dict[str, Any]]:
        records = gateway.query(kind=kind, actor=actor, indicator=indicator, text=text)
        return rows_of(
            records,
            gateway.evidence(),
            lang=lang,
            origins=gateway.origins(),
            verified=verified(gateway),
        )

    return gateway.cached(("evidence_rows", lang, kind, actor, indicator, text), compute)


def record(gateway: Gateway, record_id: str, lang: str) -> dict[str, Any]:
    ev = gateway.evidence()
    r = ev.get(record_id)  # UnknownRecord (404) when absent
    return record_row(
        r, ev, lang=lang, origin=gateway.origins().get(record_id), verified=verified(gateway)
    )


def datasets(gateway: Gateway) -> dict[str, Any]:
    return gateway.cached("datasets", lambda: gateway.read(pages.datasets))


def events(gateway: Gateway, lang: str, series_file: Any = None) -> dict[str, Any]:
    return gateway.cached(
        ("events", lang),
        lambda: pages.events(gateway.evidence(), series_file, lang=lang),
    )


def bargaining(gateway: Gateway, name: str | None, model: str | None) -> dict[str, Any]:
    return gateway.cached(("bargaining", name, model), lambda: pages.bargaining(name, model=model))


def scenarios(gateway: Gateway) -> dict[str, Any]:
    return gateway.cached("scenarios", lambda: gateway.read(scenario_use.catalogue))


def start_scenario(
    gateway: Gateway,
    jobs: Jobs,
    *,
    name: str | None,
    text: str | None,
    draws: str | int | None,
    seed: str | int | None,
) -> Job:
    """Validate the request now (so a bad scenario fails at once) and run it in the background.

    The same path as ``powerbalance scenario run`` (:mod:`powerbalance.app.scenarios`):
    prepare, compute (here in a worker process), store.
    """
    evidence = gateway.evidence()
    prepared = scenario_use.prepare_request(
        name=name,
        text=text,
        draws=draws,
        seed=seed,
        known_ids={r.id for r in evidence},
        registered=gateway.read(registrations),
        evidence=evidence,
    )

    def work(progress: Progress) -> dict[str, Any]:
        result = jobs.in_process(scenario_use.compute, prepared, evidence, progress=progress)
        run_id = gateway.save_run(result)
        return scenario_use.run_view(prepared, result, run_id)

    return jobs.submit("scenario", prepared.label, work)


def stored_run(gateway: Gateway, run_id: str) -> dict[str, Any]:
    return gateway.cached(
        ("run", run_id), lambda: gateway.read(lambda s: scenario_use.stored_run_view(s, run_id))
    )


def compare_runs(gateway: Gateway, a: str, b: str) -> dict[str, Any]:
    return gateway.cached(
        ("compare", a, b), lambda: gateway.read(lambda s: scenario_use.compare_view(s, a, b))
    )


def scenario_figures(result: Any, lang: str = "en") -> dict[str, Any]:
    return figures.scenario_figures(result, lang=lang) if isinstance(result, dict) else {}


# --- the Review page (candidates proposed by `powerbalance ingest`) ------------------------


def pending_review(gateway: Gateway) -> list[dict[str, Any]]:
    """The candidates waiting for review, as the Review page shows them (not cached: a form)."""
    from powerbalance.app.ingest import pending, review_view

    return [review_view(c) for c in gateway.read(pending)]


def accept_candidate(
    gateway: Gateway, candidate_id: str, *, reviewer: str, statement: str, edits: str = ""
) -> dict[str, Any]:
    """Accept a candidate through the app layer; returns the record id and its verification.

    ``edits`` holds ``FIELD=VALUE`` lines, read as the terminal's ``--set``.
    """
    from powerbalance.app.ingest import accept, parse_edits

    changes = parse_edits([line for line in edits.splitlines() if line.strip()])
    done = gateway.write(
        lambda s: accept(s, candidate_id, reviewer=reviewer, statement=statement, edits=changes)
    )
    return {
        "record": done.record.id,
        "status": done.status,
        "notes": list(done.notes),
    }


def reject_candidate(gateway: Gateway, candidate_id: str, *, reviewer: str) -> str:
    """Reject a candidate through the app layer; returns its id."""
    from powerbalance.app.ingest import reject

    return gateway.write(lambda s: reject(s, candidate_id, reviewer=reviewer)).id
