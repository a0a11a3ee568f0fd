"""The assessment behind ``powerbalance assess``: the triangle as the evidence describes it.

:func:`assess` gathers, from an :class:`~powerbalance.evidence.Evidence`:
the three ties (signed and weighted, by the documented relation rule); who
depends on whom and through which channels (computed indicators, each with the
claims and sources it used); the key evidence; the factions in brief; and what
Putin and Trump share and where they diverge. Every number is computed from the
evidence; nothing is typed in here.
"""

from __future__ import annotations

from typing import Any

from powerbalance.actors import TRIANGLE
from powerbalance.errors import UserError
from powerbalance.evidence import Claim, Evidence, Stance
from powerbalance.i18n import LANGUAGES, actor_name, indicator_text, label
from powerbalance.indicators import dependence as dep
from powerbalance.indicators.base import IndicatorResult
from powerbalance.relations.evidence import derive_relations
from powerbalance.theory.triangle import triangle_from_relations

# Issues on which the two leaders' stances are compared.
LEADERS = ("putin", "trump")


def _source_entry(evidence: Evidence, claim: Claim, lang: str) -> dict[str, Any]:
    src = evidence.source(claim.source)
    entry: dict[str, Any] = {
        "claim": claim.id,
        "source": src.id,
        "publication": src.publication,
        "title": src.title,
        "date": src.date.isoformat(),
        "section": claim.section,
    }
    if claim.authority:
        entry["authority"] = actor_name(evidence.actor(claim.authority), lang)
    if claim.check is not None:
        entry["check"] = {"dataset": claim.check.dataset, "computation": claim.check.computation}
    return entry


def _indicator(evidence: Evidence, result: IndicatorResult, lang: str) -> dict[str, Any]:
    out = result.to_dict()
    out["label"] = label(result.key, lang)
    # the arithmetic and the note in ``lang`` (``formula`` and ``note`` stay English)
    out["formula_text"], out["note_text"] = indicator_text(result, lang)
    out["sources"] = [_source_entry(evidence, evidence.get(c), lang) for c in result.claims]  # type: ignore[arg-type]
    return out


def leader_comparison(
    evidence: Evidence, a: str = LEADERS[0], b: str = LEADERS[1]
) -> list[dict[str, Any]]:
    """Issues on which both leaders have stances, classed shared / partly apart / divergent.

    Shared: same sign and scores at most 1 apart. Divergent: opposite signs, or
    one neutral and the other at full intensity (2). Otherwise partly apart.
    """
    sa = {s.target: s for s in evidence.stances_of(a) if s.target_kind == "issue"}
    sb = {s.target: s for s in evidence.stances_of(b) if s.target_kind == "issue"}
    rows = []
    for issue in sorted(set(sa) & set(sb)):
        x, y = sa[issue].score, sb[issue].score
        if x * y > 0 and abs(x - y) <= 1:
            verdict = "shared"
        elif x * y < 0 or (x * y == 0 and max(abs(x), abs(y)) == 2):
            verdict = "divergent"
        else:
            verdict = "partial"
        rows.append(
            {
                "issue": issue,
                a: x,
                b: y,
                "gap": abs(x - y),
                "verdict": verdict,
                "stances": [sa[issue].id, sb[issue].id],
            }
        )
    return sorted(
        rows, key=lambda r: (r["verdict"] != "shared", r["verdict"] != "divergent", r["issue"])
    )


def factions(evidence: Evidence, lang: str = "en") -> list[dict[str, Any]]:
    """Factions and non-official public figures with their stances, by country."""
    rows = []
    for actor in evidence.actors:
        # Factions, and public figures who hold no office (officials speak for their state).
        if actor.kind != "faction" and (actor.kind != "person" or actor.official):
            continue
        stances: list[Stance] = evidence.stances_of(actor.id)
        if not stances:
            continue
        rows.append(
            {
                "id": actor.id,
                "name": actor_name(actor, lang),
                "country": actor.country,
                "description": actor.description,
                "stances": [
                    {"target": s.target, "score": s.score, "rationale": s.rationale, "id": s.id}
                    for s in stances
                ],
            }
        )
    return sorted(rows, key=lambda r: (r["country"] or "", r["id"]))


def assess(
    evidence: Evidence, *, lang: str = "en", actors: tuple[str, ...] = TRIANGLE
) -> dict[str, Any]:
    """The full assessment as data (what ``powerbalance assess --json`` prints).

    Parameters
    ----------
    evidence
        The evidence to assess (bundled corpus plus the user's records).
    lang
        ``en`` or ``sv`` for labels.

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> a = assess(load_corpus())
    >>> [(d["a"], d["b"], d["sign"]) for d in a["dyads"]]
    [('USA', 'RUS', -1), ('USA', 'CHN', -1), ('RUS', 'CHN', 1)]
    >>> next(i["value"] for i in a["dependence"] if i["key"] == "trade.share_asymmetry.ratio")
    8.5
    """
    if lang not in LANGUAGES:
        raise UserError(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    relations = derive_relations(evidence, actors)
    dyads = []
    for r in relations:
        d = r.to_dict()
        d["label"] = (
            f"{actor_name(evidence.actor(r.a), lang)} – {actor_name(evidence.actor(r.b), lang)}"
        )
        d["sign_label"] = label({1: "amity", -1: "enmity", 0: "neutral"}[r.sign], lang)
        dyads.append(d)
    computed, missing = dep.triangle_indicators(evidence)
    results = [r for _, r in computed]
    claims = evidence.claims()
    key_claims = [
        {
            "id": c.id,
            "indicator": c.indicator,
            "actor": c.actor,
            "partner": c.partner,
            "value": c.value,
            "unit": c.unit,
            "currency": c.currency,
            "scale": c.scale,
            "qualifier": c.qualifier,
            "period": c.period.label(),
            "statement": c.statement,
            "source": _source_entry(evidence, c, lang),
        }
        for c in claims
    ]
    events = [
        {
            "id": e.id,
            "date": e.date.isoformat(),
            "date_label": e.date_label(),
            "kind": e.kind,
            "summary": e.summary,
            "source": e.source,
        }
        for e in evidence.events
    ]
    out: dict[str, Any] = {
        "title": label("assess_title", lang),
        "lang": lang,
        "actors": {a: actor_name(evidence.actor(a), lang) for a in actors},
        "dyads": dyads,
        "dependence": [_indicator(evidence, r, lang) for r in results],
        "dependence_missing": missing,
        "claims": key_claims,
        "events": events,
        "factions": factions(evidence, lang),
        "leaders": leader_comparison(evidence),
        "counts": {
            "claims": len(claims),
            "events": len(events),
            "stances": len(evidence.stances),
            "actors": len(evidence.actors),
            "sources": len(evidence.sources),
        },
    }
    out["triangle"] = triangle_from_relations(relations).to_dict()
    return out
