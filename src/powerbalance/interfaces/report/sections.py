"""What the dashboard pages and the reports show, gathered from the library.

Each function here calls the library function that computes a page's
content and returns plain, JSON-ready data (dicts, lists, numbers, strings);
the web pages, the JSON API and the reports all render these same results,
so a figure on screen, in ``/api`` and on paper is one computation.

Parts of powerbalance that are not installed (or not written yet) are
detected when this module is imported: their sections come back with
``status: "not_landed"`` and name the missing module, and light up as soon
as the module exists.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from types import ModuleType
from typing import Any

from powerbalance.actors import TRIANGLE, TRIANGLE_TIES
from powerbalance.errors import UnknownIdError, UserError
from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.models import Actor, Claim, Event, Record, Source, Stance
from powerbalance.interfaces.report.charts import period_x
from powerbalance.interfaces.report.i18n import normalise_lang
from powerbalance.limits import LIMITS

DEPENDENCE_CHANNELS = ("trade.*", "exports.*", "fdi.*", "energy.*", "currency.*", "arms.*")


# --- optional parts of the library ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Optional:
    """A library module probed at import time: the module, or why it is absent."""

    name: str
    module: ModuleType | None
    problem: str | None

    def attr(self, *names: str) -> Callable[..., Any] | None:
        """The first of ``names`` the module defines, or None."""
        if self.module is None:
            return None
        for n in names:
            obj = getattr(self.module, n, None)
            if obj is not None:
                return obj
        return None


def probe(name: str) -> Optional:
    """Import ``name`` if it exists; a module that is absent is not an error."""
    try:
        return Optional(name, importlib.import_module(name), None)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return Optional(name, None, f"module {name} is not available")
        return Optional(name, None, f"module {name} failed to import: {exc}")
    except Exception as exc:  # a landed module with a bug must not take the dashboard down
        return Optional(name, None, f"module {name} failed to import: {exc}")


RELATIONS = probe("powerbalance.relations.evidence")
ASSESSMENT = probe("powerbalance.assessment")
TRIANGLE_THEORY = probe("powerbalance.theory.triangle")
BALANCE_THEORY = probe("powerbalance.theory.balance")
DYNAMICS_THEORY = probe("powerbalance.theory.dynamics")
DEPENDENCE = probe("powerbalance.indicators.dependence")
DATASETS = probe("powerbalance.datasets")
EVENTS_INDICATORS = probe("powerbalance.indicators.events")
BARGAINING = probe("powerbalance.theory.bargaining")
SCENARIOS = probe("powerbalance.scenarios")
VERIFICATION = probe("powerbalance.indicators.verification")


def availability() -> dict[str, str | None]:
    """Which optional parts are importable: module name -> None or the problem."""
    return {
        o.name: o.problem
        for o in (
            RELATIONS,
            ASSESSMENT,
            TRIANGLE_THEORY,
            BALANCE_THEORY,
            DYNAMICS_THEORY,
            DEPENDENCE,
            DATASETS,
            EVENTS_INDICATORS,
            BARGAINING,
            SCENARIOS,
            VERIFICATION,
        )
    }


def not_landed(what: str, *parts: Optional, missing: str | None = None) -> dict[str, Any]:
    """A section's body when the library part it needs is absent."""
    problems = [p.problem for p in parts if p.problem] or ([missing] if missing else [])
    return {"status": "not_landed", "what": what, "problems": problems}


def failed(what: str, exc: UserError) -> dict[str, Any]:
    """A section's body when the library refused (usually: evidence is missing)."""
    return {"status": "missing_evidence", "what": what, "problems": [str(exc)]}


# --- turning library results into plain data ----------------------------------------


def plain(obj: Any) -> Any:
    """Library results as JSON-ready data: dataclasses, pydantic models, numpy, pandas.

    NaN becomes None (missing is not zero).

    Examples
    --------
    >>> plain({"a": float("nan"), "b": (1, 2.5), "c": date(2025, 5, 12)})
    {'a': None, 'b': [1, 2.5], 'c': '2025-05-12'}
    """
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = sorted(obj, key=str) if isinstance(obj, (set, frozenset)) else obj
        return [plain(v) for v in items]
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        try:
            out = obj.to_dict(orient="records") if _is_frame(obj) else obj.to_dict()
        except TypeError:
            out = obj.to_dict()
        return plain(out)
    if hasattr(obj, "model_dump"):
        return plain(obj.model_dump(mode="json"))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return plain({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    if hasattr(obj, "tolist"):
        return plain(obj.tolist())
    if hasattr(obj, "item"):
        return plain(obj.item())
    if hasattr(obj, "_asdict"):
        return plain(obj._asdict())
    if hasattr(obj, "value") and hasattr(obj, "name") and type(obj).__module__ != "builtins":
        return plain(obj.value)  # enums
    return str(obj)


def _is_frame(obj: Any) -> bool:
    return type(obj).__name__ == "DataFrame"


# --- evidence rows ---------------------------------------------------------------------


def actor_name(evidence: Evidence, actor_id: str | None, lang: str) -> str | None:
    """The actor's name in ``lang``, or the id when the evidence does not know it."""
    if actor_id is None:
        return None
    if actor_id in evidence:
        r = evidence.get(actor_id)
        if isinstance(r, Actor):
            return r.name_sv if lang == "sv" else r.name_en
    return actor_id


def source_row(evidence: Evidence, source_id: str | None) -> dict[str, Any] | None:
    """A source's citation fields, or None when it is not in the evidence."""
    if source_id is None or source_id not in evidence:
        return None
    s = evidence.get(source_id)
    if not isinstance(s, Source):
        return None
    return {
        "id": s.id,
        "publication": s.publication,
        "title": s.title,
        "author": s.author,
        "date": s.date.isoformat(),
        "language": s.language,
        "url": s.url,
    }


def verification_of(claim: Claim) -> dict[str, Any]:
    """What is known of a claim's verification: which dataset can check it, if any."""
    if claim.check is None:
        return {"status": "unchecked", "dataset": None, "computation": None}
    return {
        "status": "checkable",
        "dataset": claim.check.dataset,
        "computation": claim.check.computation,
    }


def record_row(
    record: Record,
    evidence: Evidence,
    *,
    lang: str = "en",
    origin: str | None = None,
    verified: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One evidence record as a row for tables and the API (with its source).

    ``verified`` maps claim ids to their verification results (see
    :func:`verification_statuses`); without it a claim shows which dataset
    could check it.
    """
    lang = normalise_lang(lang)
    row: dict[str, Any] = {"id": record.id, "type": record.type_name(), "origin": origin}
    if isinstance(record, Claim):
        row.update(
            indicator=record.indicator,
            actor=record.actor,
            actor_name=actor_name(evidence, record.actor, lang),
            partner=record.partner,
            partner_name=actor_name(evidence, record.partner, lang),
            value=record.value,
            unit=record.unit,
            currency=record.currency,
            scale=record.scale,
            qualifier=record.qualifier,
            period=record.period.label(),
            period_end=record.period.end.isoformat(),
            comparison_period=(
                record.comparison_period.label() if record.comparison_period else None
            ),
            authority=record.authority,
            text=record.statement,
            section=record.section,
            source=source_row(evidence, record.source) or {"id": record.source},
            verification=(verified or {}).get(record.id) or verification_of(record),
        )
    elif isinstance(record, Event):
        row.update(
            date=record.date_label(),
            kind=record.kind,
            actors=list(record.actors),
            actor_names=[actor_name(evidence, a, lang) for a in record.actors],
            text=record.summary,
            section=record.section,
            source=source_row(evidence, record.source) or {"id": record.source},
        )
    elif isinstance(record, Stance):
        row.update(
            actor=record.actor,
            actor_name=actor_name(evidence, record.actor, lang),
            target=record.target,
            target_kind=record.target_kind,
            score=record.score,
            scale_label=record.scale_label,
            text=record.rationale,
            section=record.section,
            source=source_row(evidence, record.source) or {"id": record.source},
        )
    elif isinstance(record, Actor):
        row.update(
            kind=record.kind,
            name=record.name_sv if lang == "sv" else record.name_en,
            country=record.country,
            text=record.description,
        )
    elif isinstance(record, Source):
        row.update(
            publication=record.publication,
            title=record.title,
            author=record.author,
            date=record.date.isoformat(),
            language=record.language,
            text=record.note,
            url=record.url,
        )
    return row


def evidence_rows(
    records: Iterable[Record],
    evidence: Evidence,
    *,
    lang: str = "en",
    origins: dict[str, str] | None = None,
    verified: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Rows for a list of records (as returned by ``Store.query``)."""
    origins = origins or {}
    return [
        record_row(r, evidence, lang=lang, origin=origins.get(r.id), verified=verified)
        for r in records
    ]


def verification_statuses(
    evidence: Evidence, registered: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Every claim checked against the registered datasets (``indicators.verification.verify``).

    Returns claim id -> status (``verified``, ``contradicted``,
    ``unverifiable``), the computed value and difference, the dataset, and
    for an unverifiable claim the reason and the dataset that would settle it.
    An empty mapping when verification is not available.
    """
    verify = VERIFICATION.attr("verify")
    sources = DATASET_REGISTRY.attr("DataSources")
    if verify is None or sources is None:
        return {}
    keys = ("status", "dataset", "computation", "computed", "difference", "reason", "settle_with")
    out = {}
    for r in verify(evidence.claims(), sources(registered=registered)):
        d = plain(r)
        out[d["claim"]] = {k: d.get(k) for k in keys}
    return out


# --- pages -----------------------------------------------------------------------------


def relations_section(evidence: Evidence, actors: tuple[str, ...] = TRIANGLE) -> dict[str, Any]:
    """The evidence-derived signed, weighted ties among ``actors``."""
    derive = RELATIONS.attr("derive_relations")
    if derive is None:
        return not_landed("relations", RELATIONS, missing="derive_relations is not defined")
    out = guarded("relations", lambda: derive(evidence, actors=actors))
    if out["status"] == "ok":
        return {"status": "ok", "actors": list(actors), "relations": out["result"]}
    return out


def _signed_dyads(relations: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    return {(r["a"], r["b"]): int(r["sign"]) for r in relations}


def triangle_section(relations: dict[str, Any]) -> dict[str, Any]:
    """Dittmer's configuration and roles for the triangle of ``relations`` (theory layer)."""
    if relations.get("status") != "ok":
        return {
            "status": relations.get("status"),
            "what": "triangle",
            "problems": relations.get("problems", []),
        }
    fn = TRIANGLE_THEORY.attr("triangle_from_relations")
    if fn is None:
        return not_landed("triangle", TRIANGLE_THEORY, missing="triangle_from_relations is absent")
    from powerbalance.relations.base import Relation

    rels = [
        Relation(**{k: v for k, v in r.items() if k != "weight"}) for r in relations["relations"]
    ]
    return guarded("triangle", lambda: fn(rels))


def assessment_section(evidence: Evidence, *, lang: str = "en") -> dict[str, Any]:
    """The assessment of the balance of power (``powerbalance.assessment.assess``)."""
    assess = ASSESSMENT.attr("assess")
    if assess is None:
        return not_landed("assessment", ASSESSMENT, missing="assess is not defined")
    return guarded("assessment", lambda: assess(evidence, lang=normalise_lang(lang)))


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


def evidence_counts(evidence: Evidence) -> dict[str, int]:
    """How many records of each kind the evidence holds."""
    counts: dict[str, int] = {}
    for r in evidence:
        counts[r.type_name()] = counts.get(r.type_name(), 0) + 1
    return dict(sorted(counts.items()))


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


# Which dependence indicators the page shows, for which actors (the computation is the library's).
DEPENDENCE_CALLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("trade_share_asymmetry", ("RUS", "CHN")),
    ("trade_share_asymmetry", ("USA", "CHN")),
    ("trade_share_asymmetry", ("USA", "RUS")),
    ("implied_trade_level", ("RUS", "CHN")),
    ("partner_shift", ("RUS", "EU", "CHN")),
    ("export_concentration", ("RUS", "CHN")),
    ("investment_asymmetry", ("EU", "RUS")),
    ("investment_asymmetry", ("CHN", "RUS")),
)


def dependence_indicators(evidence: Evidence) -> dict[str, Any]:
    """The dependence indicators of :mod:`powerbalance.indicators.dependence` for the triangle."""
    if DEPENDENCE.module is None:
        return not_landed("dependence", DEPENDENCE)
    results: list[dict[str, Any]] = []
    missing: list[str] = []
    for name, args in DEPENDENCE_CALLS:
        fn = DEPENDENCE.attr(name)
        if fn is None:
            missing.append(f"{name} is not defined")
            continue
        try:
            out = fn(evidence, *args)
        except UserError as exc:
            missing.append(f"{name}({', '.join(args)}): {exc}")
            continue
        for r in out if isinstance(out, (tuple, list)) else [out]:
            results.append({"function": name, "args": list(args), **plain(r)})
    return {"status": "ok", "results": results, "problems": missing}


DATASET_REGISTRY = probe("powerbalance.datasets.registry")


def datasets(store: Any) -> dict[str, Any]:
    """Every dataset card with its coverage, licence and the file registered for it."""
    registrations = DATASET_REGISTRY.attr("registrations")
    listing = DATASET_REGISTRY.attr("list_datasets")
    info = DATASET_REGISTRY.attr("dataset_info")
    if registrations is None or listing is None or info is None:
        return not_landed("datasets", DATASET_REGISTRY)

    def compute() -> list[dict[str, Any]]:
        registered = registrations(store)
        return [info(d["id"], registered) for d in listing(registered)]

    out = guarded("datasets", compute)
    if out["status"] == "ok":
        out["cards"] = [
            {
                k: c.get(k)
                for k in (
                    "id",
                    "title",
                    "version",
                    "coverage",
                    "unit",
                    "licence",
                    "url",
                    "registration",
                )
            }
            for c in out.pop("result")
        ]
    return out


EVENT_RELATIONS = probe("powerbalance.relations.events")


def event_series(path: Any, actors: tuple[str, ...] = TRIANGLE) -> dict[str, Any]:
    """Dyad series of an aggregated event file (``events aggregate --out``) and their relations.

    For each pair of ``actors``: net cooperation and event counts per period
    (``indicators.events.dyad_series`` and ``net_cooperation``), and the
    event-derived relation (``relations.events.derive_event_relations``).
    ``path`` comes from the person who started the server or wrote the
    report, never from a web request.
    """
    dyad_fn = EVENTS_INDICATORS.attr("dyad_series")
    net_fn = EVENTS_INDICATORS.attr("net_cooperation")
    derive = EVENT_RELATIONS.attr("derive_event_relations")
    if dyad_fn is None or net_fn is None or derive is None:
        return not_landed("event series", EVENTS_INDICATORS, EVENT_RELATIONS)

    def compute() -> dict[str, Any]:
        import pandas as pd

        from powerbalance.errors import InputFileError

        try:
            series = pd.read_parquet(path)
        except Exception as exc:
            raise InputFileError(str(path), f"not a readable event series ({exc})") from None
        dyads = []
        for i, a in enumerate(actors):
            for b in actors[i + 1 :]:
                rows = dyad_fn(series, a, b)
                net = net_fn(rows)
                dyads.append(
                    {
                        "a": a,
                        "b": b,
                        "label": f"{a}–{b}",
                        "points": [
                            {
                                "x": pd.Timestamp(p).date().isoformat(),
                                "value": plain(float(v)),
                                "events": int(n),
                                "period": pd.Timestamp(p).date().isoformat(),
                                "claim": f"{int(n)} events",
                            }
                            for p, v, n in zip(rows["period"], net, rows["events"], strict=True)
                        ],
                    }
                )
        return {
            "file": str(path),
            "rows": len(series),
            "dyads": dyads,
            "relations": [plain(r) for r in derive(series, actors)],
        }

    out = guarded("event series", compute)
    if out["status"] == "ok":
        out.update(out.pop("result"))
    return out


def events(evidence: Evidence, series_file: Any = None, *, lang: str = "en") -> dict[str, Any]:
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


# --- bargaining ------------------------------------------------------------------------


def guarded(what: str, compute: Callable[[], Any]) -> dict[str, Any]:
    """``{"status": "ok", "result": ...}``, or why the library could not give it.

    A refusal (:class:`UserError`, usually missing evidence) and a failure of
    a part still being written are both shown on the page instead of an error.
    """
    try:
        return {"status": "ok", "result": plain(compute())}
    except UserError as exc:
        return failed(what, exc)
    except Exception as exc:
        return {"status": "error", "what": what, "problems": [f"{type(exc).__name__}: {exc}"]}


def bargaining(name: str | None = None, *, model: str | None = None) -> dict[str, Any]:
    """A bundled actor set's forecast beside its baselines (``theory.bargaining.bargain``)."""
    sets_fn = BARGAINING.attr("actor_sets")
    bargain = BARGAINING.attr("bargain")
    models = BARGAINING.attr("MODELS")
    if sets_fn is None or bargain is None:
        return not_landed("bargaining", BARGAINING, missing="bargain/actor_sets are not defined")
    sets = sorted(sets_fn())
    model_names = list(models) if isinstance(models, dict) else ["pce"]
    if model and model not in model_names:
        raise UserError(f"unknown model '{model}'; choose one of {', '.join(model_names)}")
    model = model or ("pce" if "pce" in model_names else model_names[0])
    # Only a bundled set's name reaches the library: other strings would be read as paths.
    if name and name not in sets:
        from powerbalance.theory.bargaining.errors import UnknownActorSet

        raise UnknownActorSet(name, sets)
    name = name or (sets[0] if sets else None)
    if name is None:
        return not_landed("bargaining", missing="no bundled actor set")
    out = guarded("bargaining", lambda: bargain(name, model=model, seed=0))
    out.update(sets=sets, set=name, models=model_names, model=model)
    return out


def bargaining_figures(data: dict[str, Any]) -> dict[str, Any]:
    """Positions over rounds (first dimension) with the baselines as dashed lines."""
    from powerbalance.interfaces.report import charts

    result = data.get("result") if data.get("status") == "ok" else None
    if not isinstance(result, dict) or not isinstance(result.get("path"), dict):
        return {}
    series = [
        {
            "label": actor,
            "points": [
                {"x": step, "value": state[0], "period": f"round {step}", "claim": actor}
                for step, state in enumerate(path)
            ],
        }
        for actor, path in result["path"].items()
    ]
    fig = charts.series_figure(series)
    rounds = int(result.get("rounds") or 0)
    lines = dict(result.get("baselines") or {})
    lines["forecast"] = result.get("forecast")
    for key, value in lines.items():
        if value:
            fig["data"].append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": key,
                    "x": [0, max(rounds, 1)],
                    "y": [value[0], value[0]],
                    "line": {"dash": "solid" if key == "forecast" else "dash", "color": "#444"},
                }
            )
    return {"rounds": fig}


# --- scenarios -------------------------------------------------------------------------

SCENARIO_SCHEMA = probe("powerbalance.scenarios.schema")
SCENARIO_API = probe("powerbalance.scenarios.api")
SCENARIO_MC = probe("powerbalance.scenarios.montecarlo")
SCENARIO_RUNS = probe("powerbalance.scenarios.runs")
# Dashboard jobs are held to the limit 'web.scenario.draws' (powerbalance.limits), on the
# form's draws and on the draws of an uploaded or bundled file alike.
MAX_DRAWS = LIMITS["web.scenario.draws"].maximum
# Draws sent to a browser or a report for histograms (the summary uses every draw).
HISTOGRAM_SAMPLE = 4000
HISTOGRAM_ARRAYS = ("weights", "weights_base", "asymmetry", "asymmetry_base")


@dataclasses.dataclass(frozen=True)
class PreparedScenario:
    """A validated scenario request, ready to run in the background."""

    label: str
    scenario: Any
    draws: int | None
    seed: int | None


class ScenarioRequestError(UserError):
    """A scenario run request with a bad option (draws, seed, no scenario)."""


class UnknownBundledScenario(UnknownIdError):
    """A scenario name that is not one of the bundled scenarios."""

    kind = "scenario"


def _int_option(value: str | int | None, what: str, low: int, high: int | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ScenarioRequestError(f"{what} must be a whole number, got '{value}'") from None
    if high is None:
        if number < low:
            raise ScenarioRequestError(f"{what} must be at least {low}, got {number}")
    elif not low <= number <= high:
        raise ScenarioRequestError(f"{what} must lie in {low}..{high}, got {number}")
    return number


def scenarios_available() -> bool:
    return (
        SCENARIO_API.attr("bundled") is not None
        and SCENARIO_MC.attr("run_scenario") is not None
        and SCENARIO_RUNS.attr("save_run") is not None
    )


def scenario_catalogue(store: Any) -> dict[str, Any]:
    """Bundled scenarios and the runs stored in ``store`` (``scenarios.api``)."""
    if not scenarios_available():
        return {
            **not_landed("scenarios", SCENARIO_API, SCENARIO_MC, SCENARIO_RUNS),
            "bundled": [],
            "runs": [],
        }
    bundled_fn = SCENARIO_API.attr("bundled")
    runs_fn = SCENARIO_API.attr("runs")
    if bundled_fn is None or runs_fn is None:
        return {**not_landed("scenarios", SCENARIO_API), "bundled": [], "runs": []}
    bundled = guarded("scenarios", bundled_fn)
    runs = guarded("runs", lambda: [r.to_dict(with_spec=False) for r in runs_fn(store)])
    problems = [p for x in (bundled, runs) for p in x.get("problems", [])]
    return {
        "status": "ok" if not problems else "error",
        "problems": problems,
        "bundled": bundled.get("result") or [],
        "runs": runs.get("result") or [],
    }


def prepare_scenario(
    *,
    name: str | None = None,
    text: str | None = None,
    draws: str | int | None = None,
    seed: str | int | None = None,
    known_ids: Iterable[str] | None = None,
    registered: dict[str, Any] | None = None,
) -> PreparedScenario:
    """Validate a run request: a bundled name or an uploaded TOML text, draws and seed.

    A name is only ever looked up among the bundled scenarios; it never
    becomes a file path, and an uploaded scenario names no file either: its
    UN-vote baseline, if any, is the dataset registered in the store
    (``dataset = "unvotes"``, resolved from ``registered``). Everything is
    checked here, before the run starts: the draws (the form's, or else the
    file's) against the limit ``web.scenario.draws``, and, given ``known_ids``,
    every evidence id the scenario cites.
    """
    parse = SCENARIO_SCHEMA.attr("parse_scenario")
    names_fn = SCENARIO_SCHEMA.attr("bundled_names")
    text_of = SCENARIO_SCHEMA.attr("bundled_text")
    if parse is None or names_fn is None or text_of is None or not scenarios_available():
        raise ScenarioRequestError("scenarios are not available in this version of powerbalance")
    limit = LIMITS["web.scenario.draws"]
    n_draws = _int_option(draws, "draws", 1, None)
    if n_draws is not None:
        limit.check(n_draws, option="draws")
    n_seed = _int_option(seed, "seed", 0, 2**63 - 1)
    if text:
        scenario = parse(text, file="uploaded scenario")
        label = str(getattr(scenario, "name", "uploaded"))
        baseline = scenario.baseline
        # A path in an upload would name a file on the server: never read one.
        if baseline.events is not None:
            raise ScenarioRequestError(
                "uploaded scenario, field 'baseline.events': an event series is a file, and an "
                "uploaded scenario cannot read files on the server; run it with "
                "`powerbalance scenario run FILE`"
            )
        if baseline.unvotes is not None and baseline.unvotes.dataset is None:
            raise ScenarioRequestError(
                "uploaded scenario, field 'baseline.unvotes': an uploaded scenario cannot read "
                'files on the server; name the registered dataset instead: dataset = "unvotes"'
            )
    elif name:
        names = names_fn()
        if name not in names:
            raise UnknownBundledScenario(name, names)
        scenario = parse(text_of(name), file=f"bundled/{name}.toml")
        label = name
    else:
        raise ScenarioRequestError("choose a bundled scenario or upload a scenario file")
    if n_draws is None:
        # The file's own [montecarlo] draws run when the form gives none: the same limit.
        limit.check(int(scenario.montecarlo.draws), option=f"the draws of {label} ([montecarlo])")
    if known_ids is not None:
        check = SCENARIO_SCHEMA.attr("check_evidence")
        if check is not None:
            check(
                scenario, known_ids, file="uploaded scenario" if text else f"bundled/{label}.toml"
            )
    if registered is not None:
        from powerbalance.scenarios.schema import resolve_datasets

        scenario = resolve_datasets(scenario, registered)
    return PreparedScenario(label=label, scenario=scenario, draws=n_draws, seed=n_seed)


def _sample(arrays: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k in HISTOGRAM_ARRAYS:
        if k in arrays:
            out[k] = plain(arrays[k][:HISTOGRAM_SAMPLE])
    return out


def compute_prepared_scenario(
    prepared: PreparedScenario,
    evidence: Evidence,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """The Monte Carlo of a prepared scenario (``scenarios.montecarlo.run_scenario``).

    A module-level function of picklable arguments, so the dashboard can run
    it in a worker process.
    """
    run = SCENARIO_MC.attr("run_scenario")
    if run is None:
        raise ScenarioRequestError("scenarios are not available in this version of powerbalance")
    return run(
        prepared.scenario, evidence, draws=prepared.draws, seed=prepared.seed, progress=progress
    )


def finish_scenario_run(
    prepared: PreparedScenario,
    result: Any,
    save: Callable[[Callable[[Any], Any]], Any] | None,
    *,
    run_id: str | None = None,
) -> dict[str, Any]:
    """Store a finished run (``scenarios.runs.save_run``) and return what pages show of it.

    ``save`` runs a function on a writable store; the run is stored only
    once it is complete. A caller that stored the run itself passes ``save``
    None and the ``run_id``.
    """
    save_run = SCENARIO_RUNS.attr("save_run")
    if save is not None:
        run_id = save(lambda store: save_run(store, result)) if save_run is not None else None
    return {
        "run_id": run_id,
        "name": prepared.label,
        "seed": result.seed,
        "draws": result.draws,
        "summary": plain(result.summary),
        "samples": _sample(result.arrays),
    }


def run_prepared_scenario(
    prepared: PreparedScenario,
    evidence: Evidence,
    save: Callable[[Callable[[Any], Any]], Any],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Run a prepared scenario in this process and store the run."""
    result = compute_prepared_scenario(prepared, evidence, progress=progress)
    return finish_scenario_run(prepared, result, save)


def stored_run(store: Any, run_id: str) -> dict[str, Any]:
    """A stored scenario run: scenario text, parameters, seed, summary and draw samples."""
    show = SCENARIO_API.attr("show_run")
    if show is None:
        raise ScenarioRequestError("stored runs are not available in this version of powerbalance")
    run, _ = show(store, run_id)
    return {**plain(run.to_dict()), "samples": _sample(run.arrays())}


def compare_runs(store: Any, a: str, b: str) -> dict[str, Any]:
    """The library's comparison table of two stored runs."""
    compare = SCENARIO_API.attr("compare")
    if compare is None:
        raise ScenarioRequestError("run comparison is not available in this version")
    return plain(compare(store, a, b))


TIES = tuple("–".join(t) for t in TRIANGLE_TIES)


def scenario_figures(result: dict[str, Any], *, lang: str = "en") -> dict[str, Any]:
    """Plotly figures of a run: configuration probabilities, first flips, tie distributions.

    Titles, legends and configuration names are in ``lang``.
    """
    from powerbalance.i18n import term
    from powerbalance.interfaces.report import charts
    from powerbalance.interfaces.report.i18n import t

    lang = normalise_lang(lang)
    legend = {"base": t("base", lang), "shocked": t("shocked", lang)}
    summary = result.get("summary") or {}
    figures: dict[str, Any] = {}
    conf = summary.get("configuration")
    if isinstance(conf, dict) and "shocked" in conf:
        names = list(conf["shocked"])
        figures["configuration"] = charts.grouped_bar_figure(
            [term(n, lang) for n in names],
            {k: [conf[k].get(n, 0.0) for n in names] for k in ("base", "shocked") if k in conf},
            title=t("p_configuration", lang),
            legend=legend,
        )
    flips = summary.get("first_flip")
    if isinstance(flips, dict):
        figures["first_flip"] = charts.bar_figure(
            list(flips), [float(v) for v in flips.values()], title=t("p_first_flip", lang)
        )
    barg = summary.get("bargaining")
    if isinstance(barg, dict):
        # The baselines run on every draw, the models on the run's subsample of draws.
        labels = {
            "weighted_mean": t("weighted_mean", lang),
            "weighted_median": t("weighted_median", lang),
            "pce": t("model_pce", lang),
            "eu": t("model_eu", lang),
        }
        shown = [k for k in labels if isinstance(barg.get(k), dict) and "shocked" in barg[k]]
        groups: dict[str, list[tuple[float, float, float]]] = {}
        for side in ("base", "shocked"):
            q = [barg[k].get(side) or {} for k in shown]
            if shown and all("p50" in x for x in q):
                groups[side] = [(x["p05"], x["p50"], x["p95"]) for x in q]
        if groups:
            figures["bargaining"] = charts.interval_figure(
                [labels[k] for k in shown],
                groups,
                title=f"{t('bargaining_forecast', lang)} ({barg.get('set') or 'set'})",
                y_range=(0, 100),
                legend=legend,
            )
    samples = result.get("samples") or {}
    if "weights" in samples:
        columns = list(zip(*samples["weights"], strict=False))
        base = list(zip(*samples.get("weights_base", []), strict=False))
        for k, tie in enumerate(TIES[: len(columns)]):
            values = {"shocked": list(columns[k])}
            if k < len(base):
                values = {"base": list(base[k]), **values}
            figures[f"tie_{k}"] = charts.histogram_figure(
                values, title=f"{tie} {t('tie_weight', lang)}", legend=legend
            )
    return figures
