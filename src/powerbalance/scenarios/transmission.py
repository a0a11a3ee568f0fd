"""The transmission model: how a shock travels from trade flows to ties, triangle and bargaining.

Every function works on arrays with one row per Monte Carlo draw, so the same
code runs one draw or a million. ``docs/transmission-model.md`` gives the
equations; in short:

1. **Flows.** Directed exports ``F[a, b]`` among Russia, China, the US, the EU
   and the rest of the world (USD bn/year). Russia–China trade and each side's
   share of the other's trade come from the evidence, the rest from named
   structural parameters (:mod:`powerbalance.scenarios.parameters`).
2. **Shocks** change flows, sanctions, tariffs, energy exports, the share of
   lost energy exports that finds other buyers, tie logits and bargaining
   positions. Flows respond: ``exp(-k Δσ)`` to sanctions, ``((1+t1)/(1+t0))^-ε``
   to tariffs (importer's side), energy cuts are partly redirected to the rest
   of the world.
3. **Dependence.** Shares ``S[a, b] = T[a, b] / V[a]`` with ``T`` the two-way
   flow and ``V`` the total; asymmetry ``S[a, b] - S[b, a]``; Barbieri's
   interdependence ``sqrt(S_ab S_ba) (1 - |S_ab - S_ba|)``.
4. **Ties.** ``w = tanh(z)`` with
   ``z = βs p + βd I - βx (σ_ab + σ_ba) - βt (t_ab + t_ba)/100 + βr r + δ``
   (``p`` the evidence-derived political tie, ``r`` data-driven relations,
   ``δ`` relation shocks).
5. **Triangle, dynamics, bargaining** on the tie weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from powerbalance.errors import MissingEvidence, UserError
from powerbalance.evidence import Claim, Event, Evidence, Stance
from powerbalance.scenarios.schema import (
    MODEL_ACTORS,
    TIES,
    TRIANGLE,
    Baseline,
    Shock,
    tie_index,
)
from powerbalance.theory import dynamics as dyn
from powerbalance.theory import triangle as tri

TRIANGLE_ACTORS = list(TRIANGLE)

IDX = {a: i for i, a in enumerate(MODEL_ACTORS)}
RUS, CHN, USA, EU, ROW = (IDX[a] for a in MODEL_ACTORS)
NAMED = 4  # RUS, CHN, USA, EU: the actors whose shares are measured
_TIE_INDEX = np.array([[IDX[a], IDX[b]] for a, b in TIES])
#: Ordered pairs whose shares are reported: (actor, partner) = share of partner in actor's trade.
SHARE_PAIRS: tuple[tuple[str, str], ...] = (
    ("RUS", "CHN"),
    ("CHN", "RUS"),
    ("RUS", "EU"),
    ("RUS", "USA"),
    ("USA", "RUS"),
    ("USA", "CHN"),
    ("CHN", "USA"),
    ("CHN", "EU"),
    ("EU", "CHN"),
)


@dataclass(frozen=True)
class Anchors:
    """What the evidence fixes: the numbers the model takes from claims and stances.

    ``trade_rus_chn`` in USD bn; shares and the energy share as fractions;
    ``political`` (3,) the evidence-derived political tie of each triangle pair
    (:func:`powerbalance.relations.evidence.derive_relations`); ``relations``
    (3,) data-driven relation weights from the baseline (0 where none).
    """

    trade_rus_chn: float
    share_rus_chn: float
    share_chn_rus: float
    energy_share_rus_chn: float
    tariff_usa_all: float
    political: np.ndarray
    relations: np.ndarray
    evidence: dict[str, str] = field(default_factory=dict)
    as_of: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "trade_rus_chn_usd_bn": self.trade_rus_chn,
            "share_of_chn_in_rus_trade": self.share_rus_chn,
            "share_of_rus_in_chn_trade": self.share_chn_rus,
            "energy_share_of_rus_exports_to_chn": self.energy_share_rus_chn,
            "usa_universal_tariff_percent": self.tariff_usa_all,
            "political_tie": {
                f"{a}-{b}": float(v) for (a, b), v in zip(TIES, self.political, strict=True)
            },
            "data_relations": {
                f"{a}-{b}": float(v) for (a, b), v in zip(TIES, self.relations, strict=True)
            },
            "evidence": dict(self.evidence),
            "as_of": self.as_of.isoformat() if self.as_of else None,
        }


def evidence_as_of(evidence: Evidence, as_of: date | None) -> Evidence:
    """The evidence as it stood on ``as_of``: claims whose period ended, events that happened,
    stances from sources published by then (actors and sources are kept)."""
    if as_of is None:
        return evidence
    dates = {s.id: s.date for s in evidence.sources}
    keep = []
    for r in evidence:
        if isinstance(r, Claim) and r.period.end > as_of:
            continue
        if isinstance(r, Event) and r.date > as_of:
            continue
        if isinstance(r, Stance) and dates.get(r.source, as_of) > as_of:
            continue
        keep.append(r)
    return Evidence(keep)


def _claim(evidence: Evidence, indicator: str, actor: str, partner: str | None) -> Claim:
    return evidence.claim(indicator, actor=actor, partner=partner)


def anchors_from_evidence(evidence: Evidence, baseline: Baseline | None = None) -> Anchors:
    """Read the model's anchors from the evidence (as of the baseline's date).

    Raises
    ------
    MissingEvidence
        When a claim the model needs is absent (the message names it).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> a = anchors_from_evidence(load_corpus())
    >>> a.trade_rus_chn, a.share_rus_chn, a.share_chn_rus, a.energy_share_rus_chn
    (245.0, 0.34, 0.04, 0.8)
    """
    from powerbalance.relations.evidence import derive_relations

    baseline = baseline or Baseline()
    ev = evidence_as_of(evidence, baseline.as_of)
    total = _claim(ev, "trade.bilateral.total", "RUS", "CHN")
    s_rc = _claim(ev, "trade.share_of_total", "RUS", "CHN")
    s_cr = _claim(ev, "trade.share_of_total", "CHN", "RUS")
    energy = _claim(ev, "exports.composition.energy_share", "RUS", "CHN")
    tariffs = [c for c in ev.claims("tariff.rate", actor="USA") if c.partner is None]
    if not tariffs:
        raise MissingEvidence("no 'tariff.rate' claim for the USA on all imports in the evidence")
    if s_rc.value <= 0 or s_cr.value <= 0:
        raise MissingEvidence("the Russia–China trade shares must be positive to derive totals")
    relations = derive_relations(ev, TRIANGLE, as_of=baseline.as_of)
    political = np.array([r.components.get("political", 0.0) for r in relations])
    order = {(r.a, r.b): k for k, r in enumerate(relations)}
    political = np.array([political[order.get((a, b), order.get((b, a), 0))] for a, b in TIES])
    data_rel = np.zeros(3)

    def fold(relations: Any) -> list[str]:
        """Add data-driven relations to their ties; return them as ``A-B=+w`` labels."""
        labels = []
        for rel in relations:
            data_rel[tie_index(rel.a, rel.b)] += rel.weight
            labels.append(f"{rel.a}-{rel.b}={rel.weight:+.3f}")
        return labels

    fold(baseline.relations)
    events_used: list[str] = []
    if baseline.events is not None:
        from powerbalance.relations.events import relations_from_parquet

        spec = baseline.events
        events_used = fold(
            relations_from_parquet(
                spec.file,
                actors=TRIANGLE_ACTORS,
                baseline=spec.goldstein_baseline,
                min_events=spec.min_events,
                start=spec.start,
                end=spec.end,
            )
        )
    unvotes_used: list[str] = []
    if baseline.unvotes is not None:
        from pathlib import Path

        from powerbalance.datasets.readers import read_dataset
        from powerbalance.relations.unvotes import derive_unvote_relations

        spec_u = baseline.unvotes
        if spec_u.file is None or spec_u.roll_calls is None:
            raise UserError(
                f"[baseline.unvotes] names the registered dataset '{spec_u.dataset}'; "
                "run the scenario through `powerbalance scenario run` (or the dashboard), "
                "which reads the store's registrations"
            )
        for key, value in (("file", spec_u.file), ("roll_calls", spec_u.roll_calls)):
            if not Path(value).is_file():
                from powerbalance.scenarios.errors import ScenarioFileError

                raise ScenarioFileError(
                    value,
                    "no such file",
                    field=f"baseline.unvotes.{key}",
                    hint="a path in a scenario file is relative to the file",
                )
        # Through the dataset registry's readers and their parse cache, as `data add` reads
        # them; the UN's resolution files registered in the store join unvotes to 2025.
        if spec_u.resolutions:
            from powerbalance.datasets.registry import DataSources
            from powerbalance.datasets.unga import load_un_votes

            files = {"unvotes": spec_u.file, "unvotes-roll-calls": spec_u.roll_calls}
            joined = load_un_votes(DataSources({**files, **spec_u.resolutions}))
            assert joined is not None  # unvotes itself is there
            votes = joined
        else:
            votes = read_dataset(
                "unvotes",
                Path(spec_u.file),
                companions={"unvotes-roll-calls": Path(spec_u.roll_calls)},
            )
        unvotes_used = fold(
            derive_unvote_relations(
                votes,
                TRIANGLE_ACTORS,
                start=spec_u.start,
                end=spec_u.end,
                measure=spec_u.measure,
                min_votes=spec_u.min_votes,
            )
        )
    data_rel = np.clip(data_rel, -1, 1)
    used = {
        "trade_rus_chn": total.id,
        "share_rus_chn": s_rc.id,
        "share_chn_rus": s_cr.id,
        "energy_share_rus_chn": energy.id,
        "tariff_usa_all": tariffs[-1].id,
    }
    if events_used:
        used["events"] = f"{baseline.events.file} ({', '.join(events_used)})"  # type: ignore[union-attr]
    if unvotes_used:
        u = baseline.unvotes
        used["unvotes"] = f"{u.measure} {u.start}-{u.end} ({', '.join(unvotes_used)})"  # type: ignore[union-attr]
    for r in relations:
        used[f"political_{r.a}_{r.b}"] = ",".join(e for e in r.evidence if e.startswith("st."))
    return Anchors(
        trade_rus_chn=total.absolute_value / 1e9,
        share_rus_chn=s_rc.value / 100,
        share_chn_rus=s_cr.value / 100,
        energy_share_rus_chn=energy.value / 100,
        tariff_usa_all=tariffs[-1].value,
        political=political,
        relations=data_rel,
        evidence=used,
        as_of=baseline.as_of,
    )


@dataclass
class State:
    """The system for ``n`` draws: directed flows, energy, sanctions, tariffs, tie offsets."""

    flows: np.ndarray  # (n, 5, 5) exports from row to column, USD bn/year
    energy: np.ndarray  # (n,) energy exports RUS -> CHN, USD bn/year
    sanctions: np.ndarray  # (n, 5, 5) level 0..1 imposed by row on column
    tariffs: np.ndarray  # (n, 5, 5) percent levied by row on imports from column
    redirect: np.ndarray  # (n,) fraction of lost energy exports sold to the rest of the world
    offset: np.ndarray  # (n, 3) logit offsets of the ties
    fixed: np.ndarray  # (n, 3) tie weights set outright (NaN where not)
    positions: np.ndarray | None = None  # (n, k) bargaining positions

    def copy(self) -> State:
        return State(
            self.flows.copy(),
            self.energy.copy(),
            self.sanctions.copy(),
            self.tariffs.copy(),
            self.redirect.copy(),
            self.offset.copy(),
            self.fixed.copy(),
            None if self.positions is None else self.positions.copy(),
        )


def _split(
    flows: np.ndarray, a: int, b: int, total: np.ndarray, frac_a: np.ndarray | float
) -> None:
    flows[:, a, b] = total * frac_a
    flows[:, b, a] = total * (1 - np.asarray(frac_a))


def initial_state(anchors: Anchors, p: Mapping[str, np.ndarray], n: int) -> State:
    """The baseline system: flows from the anchors and the structural parameters.

    Russia's and China's totals are implied by the bilateral flow and the
    shares (``V = T / S``); the US and EU totals are parameters; whatever the
    named flows leave of a total is trade with the rest of the world. Where
    nothing says which way a flow runs it is split half and half (the split
    matters only for tariffs, which act on the importer's side).
    """
    f = np.zeros((n, 5, 5))
    t_rc = np.full(n, anchors.trade_rus_chn)
    v_rus = t_rc / anchors.share_rus_chn
    v_chn = t_rc / anchors.share_chn_rus
    _split(f, RUS, CHN, t_rc, p["rus_export_fraction_chn"])
    _split(f, RUS, EU, v_rus * p["eu_share_of_russian_trade"] / 100, 0.5)
    _split(f, RUS, USA, p["trade_usa_rus"], 0.5)
    _split(f, CHN, USA, p["trade_usa_chn"], p["usa_import_fraction_chn"])
    _split(f, CHN, EU, p["trade_eu_chn"], 0.5)
    _split(f, USA, EU, p["trade_usa_eu"], 0.5)
    totals = {RUS: v_rus, CHN: v_chn, USA: p["total_trade_usa"], EU: p["total_trade_eu"]}
    for i, v in totals.items():
        rest = v - (f[:, i, :NAMED].sum(axis=1) + f[:, :NAMED, i].sum(axis=1))
        _split(f, i, ROW, np.maximum(rest, 0.0), 0.5)
    energy = f[:, RUS, CHN] * anchors.energy_share_rus_chn
    sanctions = np.zeros((n, 5, 5))
    sanctions[:, USA, RUS] = p["sanctions_usa_rus"]
    sanctions[:, EU, RUS] = p["sanctions_eu_rus"]
    sanctions[:, USA, CHN] = p["sanctions_usa_chn"]
    tariffs = np.zeros((n, 5, 5))
    tariffs[:, USA, :] = anchors.tariff_usa_all
    tariffs[:, USA, USA] = 0.0
    tariffs[:, USA, CHN] = p["tariff_usa_chn"]
    tariffs[:, CHN, USA] = p["tariff_chn_usa"]
    return State(
        flows=f,
        energy=energy,
        sanctions=sanctions,
        tariffs=tariffs,
        redirect=np.broadcast_to(p["energy_redirect_fraction"], (n,)).astype(float),
        offset=np.zeros((n, 3)),
        fixed=np.full((n, 3), np.nan),
    )


def _new_value(op: str, old: np.ndarray, v: np.ndarray) -> np.ndarray:
    if op == "set":
        return np.broadcast_to(v, old.shape).astype(float)
    if op == "scale":
        return old * v
    if op == "add":
        return old + v
    raise ValueError(op)  # pragma: no cover - the schema refuses other ops


def apply_shock(
    state: State,
    shock: Shock,
    v: np.ndarray,
    p: Mapping[str, np.ndarray],
    bargaining_actors: Sequence[str] = (),
) -> None:
    """Apply one shock (values ``v``, one per draw) to the state, in place, with the flows' response."""
    a = IDX.get(shock.a, -1)
    b = IDX.get(shock.b, -1) if shock.b else -1
    f = state.flows
    if shock.channel == "trade":
        old = f[:, a, b] + f[:, b, a]
        if shock.op == "share":
            others = f[:, a, :].sum(axis=1) + f[:, :, a].sum(axis=1) - old
            s = v / 100
            new = s * others / (1 - s)
        else:
            new = _new_value(shock.op, old, v)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(old > 0, new / old, 0.0)
        f[:, a, b] = np.where(old > 0, f[:, a, b] * factor, new / 2)
        f[:, b, a] = np.where(old > 0, f[:, b, a] * factor, new / 2)
    elif shock.channel == "energy_exports":
        new = np.maximum(_new_value(shock.op, state.energy, v), 0.0)
        delta = new - state.energy
        f[:, a, b] = np.maximum(f[:, a, b] + delta, 0.0)
        f[:, a, ROW] += state.redirect * np.maximum(-delta, 0.0)
        state.energy = new
    elif shock.channel == "alternative_buyers":
        state.redirect = np.broadcast_to(v / 100, state.redirect.shape).astype(float)
    elif shock.channel == "sanctions":
        old = state.sanctions[:, a, b]
        new = np.clip(_new_value(shock.op, old, v), 0.0, 1.0)
        factor = np.exp(-p["sanctions_trade_semi_elasticity"] * (new - old))
        f[:, a, b] *= factor
        f[:, b, a] *= factor
        if (a == RUS and b == CHN) or (a == CHN and b == RUS):
            state.energy *= factor
        state.sanctions[:, a, b] = new
    elif shock.channel == "tariffs":
        old = state.tariffs[:, a, b]
        new = np.maximum(_new_value(shock.op, old, v), 0.0)
        factor = ((1 + new / 100) / (1 + old / 100)) ** (-p["tariff_trade_elasticity"])
        f[:, b, a] *= factor  # a's imports from b
        if a == CHN and b == RUS:
            state.energy *= factor
        state.tariffs[:, a, b] = new
    elif shock.channel == "relation":
        assert shock.b is not None  # the schema requires both actors of a relation shock
        k = tie_index(shock.a, shock.b)
        if shock.op == "add":
            state.offset[:, k] += v
        else:
            state.fixed[:, k] = v
    elif shock.channel == "position":
        if state.positions is None or shock.a not in bargaining_actors:
            from powerbalance.errors import UnknownActor

            raise UnknownActor(shock.a, bargaining_actors, context="position shock")
        j = list(bargaining_actors).index(shock.a)
        state.positions[:, j] = np.clip(_new_value(shock.op, state.positions[:, j], v), 0, 100)
    else:  # pragma: no cover - the schema refuses other channels
        raise ValueError(shock.channel)


def dependence(flows: np.ndarray) -> dict[str, np.ndarray]:
    """Shares, asymmetry and interdependence from directed flows ``(n, 5, 5)``.

    Returns ``shares`` (n, 4, 5): share of the column in the row's total trade;
    ``asymmetry`` (n, 3) ``S_ab - S_ba`` per triangle tie; ``interdependence``
    (n, 3) Barbieri's ``sqrt(S_ab S_ba) (1 - |S_ab - S_ba|)``.

    Examples
    --------
    >>> f = np.zeros((1, 5, 5)); f[0, 0, 1] = f[0, 1, 0] = 10; f[0, 0, 4] = f[0, 1, 4] = 20
    >>> d = dependence(f)
    >>> round(float(d["shares"][0, 0, 1]), 3)
    0.5
    """
    t = f_two_way = flows + np.swapaxes(flows, 1, 2)
    total = f_two_way.sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = t[:, :NAMED, :] / total[:, :NAMED, None]
    s_ab = shares[:, _TIE_INDEX[:, 0], _TIE_INDEX[:, 1]]
    s_ba = shares[:, _TIE_INDEX[:, 1], _TIE_INDEX[:, 0]]
    return {
        "shares": shares,
        "asymmetry": s_ab - s_ba,
        "interdependence": np.sqrt(s_ab * s_ba) * (1 - np.abs(s_ab - s_ba)),
    }


def tie_weights(
    state: State, dep: Mapping[str, np.ndarray], anchors: Anchors, p: Mapping[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Tie logits ``z`` and weights ``w = tanh(z)`` (shocks that set a weight override it)."""
    i, j = _TIE_INDEX[:, 0], _TIE_INDEX[:, 1]
    sanc = state.sanctions[:, i, j] + state.sanctions[:, j, i]
    tar = (state.tariffs[:, i, j] + state.tariffs[:, j, i]) / 100

    def col(name: str) -> np.ndarray:
        return np.asarray(p[name], dtype=float).reshape(-1, 1)

    z = (
        col("tie_stance_weight") * anchors.political
        + col("tie_interdependence_weight") * dep["interdependence"]
        - col("tie_sanctions_weight") * sanc
        - col("tie_tariff_weight") * tar
        + col("tie_relation_weight") * anchors.relations
        + state.offset
    )
    w = np.where(np.isnan(state.fixed), np.tanh(z), state.fixed)
    return z, w


@dataclass(frozen=True)
class BargainingInput:
    """The bargaining set on one dimension: actors, capability, salience, positions, scale."""

    actors: tuple[str, ...]
    capability: np.ndarray
    salience: np.ndarray
    position: np.ndarray
    tie: int  # index into TIES of the tie whose change moves positions
    low: float = 0.0
    high: float = 100.0
    label: str = ""
    dimension: str = "position"
    #: (field, actor) -> (low, high): the ranges of the analyst judgements, for sampling.
    ranges: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)

    def columns(
        self, p: Mapping[str, np.ndarray], n: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Capability, salience and position per draw ``(n, k)``: sampled judgements override."""
        out = []
        for name, base in (
            ("capability", self.capability),
            ("salience", self.salience),
            ("position", self.position),
        ):
            arr = np.broadcast_to(np.asarray(base, dtype=float), (n, len(self.actors))).copy()
            for j, actor in enumerate(self.actors):
                key = judgement_key(name, actor)
                if key in p:
                    arr[:, j] = p[key]
            out.append(arr)
        return out[0], out[1], out[2]


def judgement_key(field_name: str, actor: str) -> str:
    """The name under which a sampled bargaining judgement travels with the parameters."""
    return f"bargaining.{field_name}.{actor}"


def weighted_forecasts(
    positions: np.ndarray, capability: np.ndarray, salience: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Capability x salience weighted mean and weighted median per draw.

    The median is the first position (in sorted order) at which the cumulative
    weight reaches half the total; on one dimension it is the weighted
    majority (Condorcet) winner. Same rule as
    :func:`powerbalance.theory.bargaining.baselines.weighted_median`.

    Examples
    --------
    >>> m, med = weighted_forecasts(np.array([[0.0, 50, 100]]), np.array([1.0, 1, 3]),
    ...                             np.array([50.0, 50, 50]))
    >>> float(m[0]), float(med[0])
    (70.0, 100.0)
    """
    positions = np.asarray(positions, dtype=float)
    wgt = np.broadcast_to(np.asarray(capability) * np.asarray(salience), positions.shape)
    total = wgt.sum(axis=1)
    mean = (positions * wgt).sum(axis=1) / total
    order = np.argsort(positions, axis=1, kind="stable")
    sorted_pos = np.take_along_axis(positions, order, axis=1)
    cum = np.cumsum(np.take_along_axis(wgt, order, axis=1), axis=1)
    half = (total / 2)[:, None]
    idx = np.argmax(cum >= half - 1e-12 * half, axis=1)
    median = sorted_pos[np.arange(len(positions)), idx]
    return mean, median


def simulate(
    anchors: Anchors,
    p: Mapping[str, np.ndarray],
    shocks: Sequence[tuple[Shock, np.ndarray]],
    *,
    n: int,
    models: Sequence[str] = ("dependence", "triangle", "dynamics"),
    bargaining: BargainingInput | None = None,
    sample_rows: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Run the full pipeline for ``n`` draws, before (``*_base``) and after the shocks.

    ``p`` maps every structural parameter to an array of ``n`` draws (or a
    scalar); each shock comes with its ``n`` values. Returns arrays, one row
    per draw: ``shares``, ``asymmetry``, ``interdependence``, ``logits``,
    ``weights`` (and their ``*_base``), ``config``, ``roles``, ``role_scores``,
    ``flip_first``, ``flip_time``, ``final_signs``, ``forecast_mean``,
    ``forecast_median`` as the models ask.

    With ``sample_rows`` (row indices) and the bargaining model, the actor
    tables of those rows come back too, for the bargaining module's models:
    ``sample.capability``, ``sample.salience``, ``sample.position_base`` and
    ``sample.position``, one row per sampled draw (the same numbers the
    weighted mean and median of that draw were computed from).
    """
    p = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in p.items()}
    base = initial_state(anchors, p, n)
    if bargaining is not None:
        capability, salience, base.positions = bargaining.columns(p, n)
    shocked = base.copy()
    # The share of lost exports sold elsewhere governs how the other shocks propagate.
    ordered = sorted(shocks, key=lambda sv: sv[0].channel != "alternative_buyers")
    actors = bargaining.actors if bargaining is not None else ()
    for shock, v in ordered:
        apply_shock(shocked, shock, np.broadcast_to(np.asarray(v, dtype=float), (n,)), p, actors)
    out: dict[str, np.ndarray] = {}
    for suffix, st in (("_base", base), ("", shocked)):
        dep = dependence(st.flows)
        z, w = tie_weights(st, dep, anchors, p)
        if "dependence" in models:
            out["shares" + suffix] = dep["shares"]
            out["asymmetry" + suffix] = dep["asymmetry"]
            out["interdependence" + suffix] = dep["interdependence"]
        out["logits" + suffix] = z
        out["weights" + suffix] = w
        signs = tri.signs_of(w)
        if "triangle" in models:
            out["config" + suffix] = tri.configuration_codes(signs)
            out["roles" + suffix] = tri.role_codes(signs)
        if "dynamics" in models and suffix == "":
            fl = dyn.flips(w)
            out["flip_first"] = fl["first"]
            out["flip_time"] = fl["time"]
            out["final_signs"] = fl["final"]
    if "bargaining" in models and bargaining is not None:
        k = bargaining.tie
        for suffix, st in (("_base", base), ("", shocked)):
            assert st.positions is not None
            pos = st.positions
            if suffix == "":
                move = p["position_response"] * (out["weights"][:, k] - out["weights_base"][:, k])
                pos = np.clip(pos + move[:, None], bargaining.low, bargaining.high)
            mean, median = weighted_forecasts(pos, capability, salience)
            out["forecast_mean" + suffix] = mean
            out["forecast_median" + suffix] = median
            if sample_rows is not None:
                out["sample.position" + suffix] = pos[sample_rows]
        if sample_rows is not None:
            out["sample.capability"] = capability[sample_rows]
            out["sample.salience"] = salience[sample_rows]
    return out
