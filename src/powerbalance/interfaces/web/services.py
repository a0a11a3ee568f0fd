"""Glue between routes and sections: which store data each section gets, and caching.

Pages and API routes call these functions, so both show the same results;
results are cached per state of the store file (see :class:`Gateway`).
"""

from __future__ import annotations

from typing import Any

from powerbalance.interfaces.report import charts, sections
from powerbalance.interfaces.web.gateway import Gateway
from powerbalance.interfaces.web.jobs import Job, Jobs


def verified(gateway: Gateway) -> dict[str, dict[str, Any]]:
    """Claim verification against the registered datasets, once per store state."""

    def compute() -> dict[str, dict[str, Any]]:
        registrations = sections.DATASET_REGISTRY.attr("registrations")
        if registrations is None:
            return {}
        # the registrations are read under the store lock; the datasets are read outside it
        registered = gateway.read(registrations)
        out = sections.guarded(
            "verification", lambda: sections.verification_statuses(gateway.evidence(), registered)
        )
        return out["result"] if out["status"] == "ok" else {}

    return gateway.cached("verification", compute)


def overview(gateway: Gateway, lang: str) -> dict[str, Any]:
    return gateway.cached(
        ("overview", lang),
        lambda: sections.overview(gateway.evidence(), lang=lang, verified=verified(gateway)),
    )


def relations(gateway: Gateway) -> dict[str, Any]:
    return gateway.cached("relations", lambda: sections.relations_section(gateway.evidence()))


def roles_of(triangle: dict[str, Any]) -> dict[str, str]:
    """Actor -> role label from a triangle result, whatever its exact shape."""
    result = triangle.get("result") if triangle.get("status") == "ok" else None
    if not isinstance(result, dict):
        return {}
    roles = result.get("roles")
    out: dict[str, str] = {}
    if isinstance(roles, dict):
        for actor, role in roles.items():
            out[actor] = str(role.get("role", role)) if isinstance(role, dict) else str(role)
    elif isinstance(roles, list):
        for item in roles:
            if isinstance(item, dict) and "actor" in item:
                out[str(item["actor"])] = str(item.get("role", ""))
    return out


def triangle_chart(gateway: Gateway, data: dict[str, Any], lang: str) -> dict[str, Any] | None:
    rel = data["relations"]
    if rel.get("status") != "ok":
        return None
    ev = gateway.evidence()
    names = {a: sections.actor_name(ev, a, lang) or a for a in rel["actors"]}
    return charts.triangle_figure(
        rel["actors"], rel["relations"], names=names, roles=roles_of(data["triangle"]), lang=lang
    )


def dependence(gateway: Gateway, lang: str) -> dict[str, Any]:
    return gateway.cached(
        ("dependence", lang), lambda: sections.dependence(gateway.evidence(), lang=lang)
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
        return sections.evidence_rows(
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
    return sections.record_row(
        r, ev, lang=lang, origin=gateway.origins().get(record_id), verified=verified(gateway)
    )


def datasets(gateway: Gateway) -> dict[str, Any]:
    return gateway.cached("datasets", lambda: gateway.read(sections.datasets))


def events(gateway: Gateway, lang: str, series_file: Any = None) -> dict[str, Any]:
    return gateway.cached(
        ("events", lang),
        lambda: sections.events(gateway.evidence(), series_file, lang=lang),
    )


def bargaining(gateway: Gateway, name: str | None, model: str | None) -> dict[str, Any]:
    return gateway.cached(
        ("bargaining", name, model), lambda: sections.bargaining(name, model=model)
    )


def scenarios(gateway: Gateway) -> dict[str, Any]:
    return gateway.cached("scenarios", lambda: gateway.read(sections.scenario_catalogue))


def start_scenario(
    gateway: Gateway,
    jobs: Jobs,
    *,
    name: str | None,
    text: str | None,
    draws: str | int | None,
    seed: str | int | None,
) -> Job:
    """Validate the request now (so a bad scenario fails at once) and run it in the background."""
    evidence = gateway.evidence()
    from powerbalance.datasets.registry import registrations

    prepared = sections.prepare_scenario(
        name=name,
        text=text,
        draws=draws,
        seed=seed,
        known_ids={r.id for r in evidence},
        registered=gateway.read(registrations),
    )

    def work(progress: Any) -> dict[str, Any]:
        # The Monte Carlo runs in a worker process; storing the run happens here.
        result = jobs.in_process(
            sections.compute_prepared_scenario, prepared, evidence, progress=progress
        )
        run_id = gateway.save_run(result)
        return sections.finish_scenario_run(prepared, result, None, run_id=run_id)

    return jobs.submit("scenario", prepared.label, work)


def stored_run(gateway: Gateway, run_id: str) -> dict[str, Any]:
    return gateway.cached(
        ("run", run_id), lambda: gateway.read(lambda s: sections.stored_run(s, run_id))
    )


def compare_runs(gateway: Gateway, a: str, b: str) -> dict[str, Any]:
    return gateway.cached(
        ("compare", a, b), lambda: gateway.read(lambda s: sections.compare_runs(s, a, b))
    )


def scenario_figures(result: Any) -> dict[str, Any]:
    return sections.scenario_figures(result) if isinstance(result, dict) else {}
