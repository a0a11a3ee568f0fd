"""What the dashboard's pages and the report show, gathered from the library.

Each function calls the library functions that compute a page's content and
returns plain, JSON-ready data (dicts, lists, numbers, strings); the web
pages, the JSON API and the report all render these same results, so a
figure on screen, in ``/api`` and on paper is one computation.

A part of a page the evidence cannot support (a refusal of the library, a
:class:`~powerbalance.errors.UserError`) comes back as a section with
``status: "missing_evidence"`` (or ``"refused"``) and the library's message,
and the rest of the page is still shown. Any other error is a bug and is
raised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powerbalance.actors import TRIANGLE
from powerbalance.app.assess import assess
from powerbalance.app.data import STATUS_KEYS, dataset_info, list_datasets, rule_text
from powerbalance.app.present import (
    actor_name,
    evidence_counts,
    period_x,
    plain,
    record_row,
)
from powerbalance.errors import MissingEvidence, UserError
from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.models import Claim
from powerbalance.evidence.store import Store
from powerbalance.i18n import normalise_lang
from powerbalance.indicators.dependence import triangle_indicators
from powerbalance.relations.base import Relation
from powerbalance.relations.evidence import derive_relations
from powerbalance.theory.triangle import triangle_from_relations

if TYPE_CHECKING:
    from powerbalance.app.history import HistoryResult

#: The claim families the Dependence page plots as series.
DEPENDENCE_CHANNELS = ("trade.*", "exports.*", "fdi.*", "energy.*", "currency.*", "arms.*")


def section(what: str, compute: Callable[[], Any]) -> dict[str, Any]:
    """``{"status": "ok", "result": ...}``, or the library's refusal to compute ``what``.

    Only refusals (:class:`~powerbalance.errors.UserError`) are shown on the
    page: missing evidence as ``missing_evidence``, any other refusal as
    ``refused``. Every other exception propagates (a bug must not look like
    missing data).
    """
    try:
        return {"status": "ok", "result": plain(compute())}
    except MissingEvidence as exc:
        return {"status": "missing_evidence", "what": what, "problems": [str(exc)]}
    except UserError as exc:
        return {"status": "refused", "what": what, "problems": [str(exc)]}


def relations_section(evidence: Evidence, actors: tuple[str, ...] = TRIANGLE) -> dict[str, Any]:
    """The evidence-derived signed, weighted ties among ``actors``."""
    out = section("relations", lambda: derive_relations(evidence, actors=actors))
    if out["status"] == "ok":
        return {"status": "ok", "actors": list(actors), "relations": out["result"]}
    return out


def triangle_section(relations: dict[str, Any]) -> dict[str, Any]:
    """Dittmer's configuration and roles for the triangle of ``relations`` (theory layer)."""
    if relations.get("status") != "ok":
        return {
            "status": relations.get("status"),
            "what": "triangle",
            "problems": relations.get("problems", []),
        }
    rels = [
        Relation(**{k: v for k, v in r.items() if k != "weight"}) for r in relations["relations"]
    ]
    return section("triangle", lambda: triangle_from_relations(rels))


def assessment_section(evidence: Evidence, *, lang: str = "en") -> dict[str, Any]:
    """The assessment of the balance of power (:func:`powerbalance.app.assess.assess`)."""
    return section("assessment", lambda: assess(evidence, lang=normalise_lang(lang)))


def headline_claims(
    evidence: Evidence,
    *,
    lang: str = "en",
    actors: tuple[str, ...] = TRIANGLE,
    verified: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The latest claim of each indicator for each ordered pair of ``actors``, with sources."""
    latest: dict[tuple[str, str, str | None], Claim] = {}
    for c in evidence.claims():
        if c.actor in actors and (c.partner is None or c.partner in actors):
            latest[(c.indicator, c.actor, c.partner)] = c  # claims() sorts by period end
    return [
        record_row(c, evidence, lang=lang, verified=verified)
        for _, c in sorted(latest.items(), key=_key)
    ]


def _key(item: tuple[tuple[str, str, str | None], Claim]) -> tuple[str, str, str]:
    (indicator, actor, partner), _ = item
    return (indicator, actor, partner or "")


def overview(
    evidence: Evidence,
    *,
    lang: str = "en",
    verified: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything the Overview page shows: ties, triangle, assessment, headline numbers."""
    lang = normalise_lang(lang)
    relations = relations_section(evidence)
    return {
        "lang": lang,
        "relations": relations,
        "triangle": triangle_section(relations),
        "assessment": assessment_section(evidence, lang=lang),
        "headline": headline_claims(evidence, lang=lang, verified=verified),
        "counts": evidence_counts(evidence),
    }


def dependence(evidence: Evidence, *, lang: str = "en") -> dict[str, Any]:
    """Dependence channels: claim series per indicator and pair, plus the dependence indicators."""
    lang = normalise_lang(lang)
    series: dict[str, dict[str, Any]] = {}
    for pattern in DEPENDENCE_CHANNELS:
        for c in evidence.claims(pattern):
            key = f"{c.indicator} {c.actor}" + (f"→{c.partner}" if c.partner else "")
            s = series.setdefault(
                key,
                {
                    "indicator": c.indicator,
                    "actor": c.actor,
                    "partner": c.partner,
                    "label": f"{actor_name(evidence, c.actor, lang)}"
                    + (f" → {actor_name(evidence, c.partner, lang)}" if c.partner else ""),
                    "unit": c.unit,
                    "currency": c.currency,
                    "points": [],
                },
            )
            s["points"].append(
                {
                    "x": period_x(c.period.start, c.period.end),  # 2024 plotted at 2024
                    "period": c.period.label(),
                    "value": c.value,
                    "scale": c.scale,
                    "claim": c.id,
                    "source": c.source,
                }
            )
    return {
        "lang": lang,
        "series": list(series.values()),
        "indicators": dependence_indicators(evidence),
    }


def dependence_indicators(evidence: Evidence) -> dict[str, Any]:
    """The triangle's dependence indicators (the one list of
    :data:`~powerbalance.indicators.dependence.TRIANGLE_INDICATORS`), each with the function
    and actors that computed it, and one line for each the evidence cannot support."""
    computed, missing = triangle_indicators(evidence)
    results = [
        {"function": ind.function.__name__, "args": list(ind.args), **plain(r)}
        for ind, r in computed
    ]
    return {"status": "ok", "results": results, "problems": missing}


def verification_coverage(
    verified: Mapping[str, Mapping[str, Any]] | None, *, lang: str = "en"
) -> dict[str, Any]:
    """The coverage table of ``powerbalance verify`` for the report and the Evidence page.

    ``verified`` is :func:`powerbalance.app.data.claim_statuses` (claim id ->
    status entry); ``None`` when the claims were not checked (a report without
    registrations), which gives ``status: "not_checked"`` and no rows.

    Each row has the entry's keys (:data:`~powerbalance.app.data.STATUS_KEYS`,
    a missing one as ``None``), ``claim``, the rule written in ``lang`` and
    ``figures``: the main figure then every alternative definition's, each
    with ``definition``, ``computed``, ``difference`` and ``agrees`` (empty when
    nothing was computed). ``totals`` counts the claims of each status.

    Examples
    --------
    >>> entry = {"status": "depends_on_definition", "computation": "share", "claimed": 34.0,
    ...          "qualifier": "about", "tolerance": 3.0, "computed": 45.1,
    ...          "definition": "mirror totals", "agrees": False,
    ...          "alternatives": [{"definition": "customs", "computed": 34.2, "agrees": True}]}
    >>> table = verification_coverage({"c1": entry}, lang="sv")
    >>> table["totals"]["depends_on_definition"], table["rows"][0]["rule"]
    (1, 'share: 34 ± 3 (cirka)')
    >>> [(f["definition"], f["agrees"]) for f in table["rows"][0]["figures"]]
    [('mirror totals', False), ('customs', True)]
    """
    from powerbalance.indicators.verification import STATUSES

    lang = normalise_lang(lang)
    if verified is None:
        return {"status": "not_checked", "claims": 0, "totals": {}, "rows": []}
    totals = dict.fromkeys(STATUSES, 0)
    rows = []
    for claim_id, entry in verified.items():
        row: dict[str, Any] = {k: plain(entry.get(k)) for k in STATUS_KEYS}
        row["claim"] = claim_id
        alternatives = [
            {k: plain(a.get(k)) for k in ("definition", "computed", "difference", "agrees")}
            for a in row.get("alternatives") or []
        ]
        row["alternatives"] = alternatives
        main = {k: row[k] for k in ("definition", "computed", "difference", "agrees")}
        row["figures"] = [main, *alternatives] if row["computed"] is not None else []
        if row["claimed"] is not None:
            row["rule"] = rule_text(
                row["computation"],
                row["qualifier"] or "exact",
                row["claimed"],
                row["tolerance"],
                lang=lang,
            )
        if row["status"] in totals:
            totals[row["status"]] += 1
        rows.append(row)
    return {"status": "ok", "claims": len(rows), "totals": totals, "rows": rows}


DATASET_CARD_FIELDS = (
    "id",
    "title",
    "version",
    "coverage",
    "unit",
    "licence",
    "url",
    "registration",
)


def datasets(store: Store) -> dict[str, Any]:
    """Every dataset card with its coverage, licence and the file registered for it."""
    cards = [dataset_info(store, entry.id).to_dict() for entry in list_datasets(store)]
    return {
        "status": "ok",
        "cards": [{k: plain(c.get(k)) for k in DATASET_CARD_FIELDS} for c in cards],
    }


def event_series(path: str | Path, actors: tuple[str, ...] = TRIANGLE) -> dict[str, Any]:
    """Dyad series of an aggregated event file and their relations
    (:func:`powerbalance.app.events.event_series`), or why the file cannot be read.

    ``path`` comes from the person who started the server or wrote the
    report, never from a web request.
    """
    from powerbalance.app.events import event_series as read_series

    out = section("event series", lambda: read_series(path, actors).to_dict())
    if out["status"] == "ok":
        out.update(out.pop("result"))
    return out


def events(
    evidence: Evidence, series_file: str | Path | None = None, *, lang: str = "en"
) -> dict[str, Any]:
    """Dated events of the evidence, and the dyad series of an event file when one is given."""
    lang = normalise_lang(lang)
    rows = [record_row(e, evidence, lang=lang) for e in evidence.events]
    kinds: dict[str, int] = {}
    for e in evidence.events:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    series = event_series(series_file) if series_file is not None else None
    return {
        "lang": lang,
        "events": rows,
        "kinds": dict(sorted(kinds.items())),
        "series": series,
    }


def bargaining(name: str | None = None, *, model: str | None = None) -> dict[str, Any]:
    """A bundled actor set's forecast beside its baselines (:mod:`powerbalance.app.bargaining`),
    with each model's track record (its validated error against the weighted mean's).

    ``model`` None: the model that validated best (:func:`powerbalance.app.bargaining.default_model`).

    Only a bundled set's name is accepted (a web request never names a file);
    an unknown set or model is a :class:`~powerbalance.errors.UserError`.
    """
    from powerbalance.app import bargaining as use

    sets = use.actor_sets()
    model_names = [m.name for m in use.models()]
    if model and model not in model_names:
        raise UserError(f"unknown model '{model}'; choose one of {', '.join(model_names)}")
    model = model or use.default_model()
    name = name or sets[0]
    if name not in sets:
        raise use.UnknownActorSet(name, sets)
    out = section("bargaining", lambda: use.bundled_forecast(name, model=model, seed=0))
    # every forecast carries its model's validated error beside the weighted mean's
    out.update(
        sets=sets,
        set=name,
        models=model_names,
        model=model,
        default_model=use.default_model(),
        track_record=use.track_record_of(model),
        track_records={m: use.track_record_of(m) for m in model_names},
    )
    return out


def history_result(
    evidence: Evidence, registered: Mapping[str, Mapping[str, Any]] | None = None
) -> HistoryResult:
    """The triangle through time from the registered datasets and the evidence
    (:func:`powerbalance.app.history.registered_history`, every channel, 1946–2025)."""
    from powerbalance.app.history import registered_history

    return registered_history(registered, evidence)


def history(result: HistoryResult, *, year: int | None = None) -> dict[str, Any]:
    """What the History page and the report's section show of ``result``
    (:func:`history_result`): :func:`powerbalance.app.history.history_view` as a section
    (a year outside the history comes back ``refused`` with the reason)."""
    from powerbalance.app.history import history_view

    return section("history", lambda: history_view(result, year=year))
