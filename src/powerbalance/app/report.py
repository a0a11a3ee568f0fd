"""The report's content: everything ``powerbalance report`` shows, as plain data.

The report package (:mod:`powerbalance.interfaces.report`) only lays this out
as HTML and prints it to PDF; the content comes from the same functions as
the dashboard's pages (:mod:`powerbalance.app.pages`), so a figure in the
report is the figure on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from powerbalance import __version__
from powerbalance.app import pages
from powerbalance.app.data import claim_statuses
from powerbalance.app.present import record_row, source_row
from powerbalance.app.scenarios import compute, prepare, run_view, store_run
from powerbalance.datasets.registry import registrations
from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.models import Claim
from powerbalance.evidence.store import Store
from powerbalance.i18n import label, normalise_lang
from powerbalance.scenarios.montecarlo import Progress


def report_data(
    evidence: Evidence,
    *,
    lang: str = "en",
    registered: Mapping[str, Any] | None = None,
    scenario: str | None = None,
    keep_run_in: Store | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Everything a report shows, as plain data.

    Parameters
    ----------
    evidence
        The evidence to report on (a store's, or the bundled corpus).
    lang
        ``en`` or ``sv``.
    registered
        The store's dataset registrations
        (:func:`~powerbalance.datasets.registry.registrations`): claims are
        then checked against those datasets and the report shows verified,
        depends on definition (every figure with its definition), contradicted
        or unverifiable (and why), and the coverage table of ``powerbalance
        verify`` (:func:`~powerbalance.app.pages.verification_coverage`).
    scenario
        A bundled scenario's name or the path of a scenario TOML file; it is
        run (the same path as ``powerbalance scenario run``) and its results
        included.
    keep_run_in
        A writable store in which the scenario run is stored, so the report
        can cite its id; without it the run is not stored.
    progress
        Called with (draws done, draws in all) while the scenario runs.
    """
    lang = normalise_lang(lang)
    verified = claim_statuses(evidence, registered) if registered is not None else None
    claims = [
        record_row(c, evidence, lang=lang, verified=verified) for c in evidence.of_type(Claim)
    ]
    claims.sort(key=lambda r: (r["indicator"], r["actor"], r["period_end"], r["id"]))
    data: dict[str, Any] = {
        "lang": lang,
        "title": label("report_title", lang),
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "overview": pages.overview(evidence, lang=lang, verified=verified),
        "dependence": pages.dependence(evidence, lang=lang),
        "claims": claims,
        # the coverage table of `powerbalance verify` (status "not_checked" without registrations)
        "coverage": pages.verification_coverage(verified, lang=lang),
        "events": [record_row(e, evidence, lang=lang) for e in evidence.events],
        "sources": [source_row(evidence, s.id) for s in evidence.sources],
        # the triangle through time from the registered datasets and the evidence's events
        "history": pages.history(pages.history_result(evidence, registered)),
        "scenario": None,
    }
    if scenario:
        prepared = prepare(
            scenario,
            known_ids={r.id for r in evidence},
            registered=registered or {},
            evidence=evidence,
        )
        result = compute(prepared, evidence, progress=progress)
        run_id = store_run(keep_run_in, result) if keep_run_in is not None else None
        data["scenario"] = run_view(prepared, result, run_id)
    return data


def store_report_data(
    store: Store,
    *,
    lang: str = "en",
    scenario: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """:func:`report_data` of a store: its evidence, its registered datasets, and a scenario
    run stored in it (what ``powerbalance report`` writes)."""
    return report_data(
        store.evidence(),
        lang=lang,
        registered=registrations(store),
        scenario=scenario,
        keep_run_in=store,
        progress=progress,
    )
