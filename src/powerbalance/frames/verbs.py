"""The ``add_*`` verbs: each left-joins one source to a state-year or dyad-year frame.

Invariants (tested for every verb):

- the number and order of rows never change;
- a value outside the source's coverage is missing (NaN), never 0, and a
  :class:`~powerbalance.datasets.errors.CoverageWarning` says which years;
- inside coverage, a value the source does not have is missing too, except
  where the source is a complete register of events (SIPRI deliveries: no
  delivery recorded in a covered year is a true 0).

Joins use integer keys (``year * 1000 + ccode``; ``(year * 1000 + ccode1) * 1000
+ ccode2``) and a binary search in the sorted source keys, so a 2-million-row
dyad-year frame takes a fraction of a second per verb.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from powerbalance.datasets.errors import CoverageWarning, DatasetNotRegistered
from powerbalance.datasets.registry import DataSources
from powerbalance.datasets.unga import available_unga, load_un_votes
from powerbalance.errors import UserError
from powerbalance.frames.core import DYAD_YEAR, STATE_YEAR, require_unit
from powerbalance.indicators.votes import vote_measures_for_rows

NMC_COLUMNS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")


# Year-major keys: dyad-year frames come sorted by year and codes, so their keys are
# already ordered and the binary searches below walk memory in order.
def _sy_key(ccode: np.ndarray, year: np.ndarray) -> np.ndarray:
    return year.astype(np.int64) * 1000 + ccode.astype(np.int64)


def _dy_key(c1: np.ndarray, c2: np.ndarray, year: np.ndarray) -> np.ndarray:
    return (year.astype(np.int64) * 1000 + c1.astype(np.int64)) * 1000 + c2.astype(np.int64)


def _gather(
    target: np.ndarray, source: np.ndarray, columns: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Values of ``columns`` at the row of ``source`` whose key equals each ``target`` key.

    A direct lookup table when the source keys are dense (state-years), else a
    binary search in the sorted source keys; unmatched keys get NaN. When a
    key repeats in the source its first row is used.
    """
    if len(source) == 0:
        return {name: np.full(len(target), np.nan) for name in columns}
    lo, hi = int(source.min()), int(source.max())
    if hi - lo < 4 * len(source) + 1_000_000:
        # state-year keys are dense (about 200 years x 1000 codes): a direct lookup table
        # replaces the sort and the binary search
        keys, first = np.unique(source, return_index=True)  # a repeated key: its first row
        table = np.full(hi - lo + 2, len(source), dtype=np.int64)
        table[keys - lo] = first
        slot = np.clip(target - lo, -1, hi - lo + 1)
        slot[slot < 0] = hi - lo + 1
        pos = table[slot]
    else:
        pos = _positions(target, source)
    out = {}
    for name, values in columns.items():
        padded = np.append(values.astype(np.float64, copy=False), np.nan)
        out[name] = padded[pos]
    return out


def _positions(target: np.ndarray, source: np.ndarray) -> np.ndarray:
    """Row of ``source`` holding each ``target`` key (its first), ``len(source)`` if none."""
    order = np.argsort(source, kind="stable")
    sorted_keys = source[order]
    first = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    order, sorted_keys = order[first], sorted_keys[first]
    at = np.searchsorted(sorted_keys, target)
    at[at == len(sorted_keys)] = 0
    hit = sorted_keys[at] == target
    return np.where(hit, order[at], len(source))  # one past the end: the NaN appended


def _outside(frame: pd.DataFrame, coverage: tuple[int, int] | None, dataset: str) -> np.ndarray:
    """Rows outside a dataset's years (warned about once); their values must stay missing."""
    years = frame["year"].to_numpy()
    if coverage is None:
        return np.zeros(len(years), dtype=bool)
    first, last = coverage
    outside = (years < first) | (years > last)
    if outside.any():
        lo, hi = int(years[outside].min()), int(years[outside].max())
        warnings.warn(
            f"{dataset} covers {first}-{last}; rows in {lo}-{hi} outside it get missing values",
            CoverageWarning,
            stacklevel=3,
        )
    return outside


def _with(frame: pd.DataFrame, columns: dict[str, np.ndarray], source: str) -> pd.DataFrame:
    kept = frame.drop(columns=[c for c in columns if c in frame.columns])
    new = pd.DataFrame(columns, index=frame.index, copy=False)
    out = pd.concat([kept, new], axis=1)
    attrs = dict(frame.attrs)
    attrs["sources"] = [*attrs.get("sources", []), source]
    out.attrs = attrs
    return out


def _sides(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return frame["ccode1"].to_numpy(), frame["ccode2"].to_numpy(), frame["year"].to_numpy()


# --- capabilities ------------------------------------------------------------------------


def add_capabilities(frame: pd.DataFrame, data: DataSources) -> pd.DataFrame:
    """Add COW NMC's six components and CINC (``cinc``; ``cinc1``/``cinc2`` ... for dyads).

    Parameters
    ----------
    frame
        A state-year or dyad-year frame.
    data
        Where ``cow-nmc`` is.

    Returns
    -------
    pandas.DataFrame
        The frame with ``milex, milper, irst, pec, tpop, upop, cinc`` (suffixed
        ``1`` and ``2`` on a dyad-year frame). COW's missing codes are missing.
    """
    unit = require_unit(frame, STATE_YEAR, DYAD_YEAR, verb="add_capabilities")
    nmc = data.load("cow-nmc", purpose="add_capabilities")
    skey = _sy_key(nmc["ccode"].to_numpy(), nmc["year"].to_numpy())
    values = {c: nmc[c].to_numpy(dtype=float) for c in NMC_COLUMNS}
    _outside(frame, nmc.attrs.get("coverage"), "cow-nmc")
    if unit == STATE_YEAR:
        cols = _gather(_sy_key(frame["ccode"].to_numpy(), frame["year"].to_numpy()), skey, values)
    else:
        c1, c2, year = _sides(frame)
        one = _gather(_sy_key(c1, year), skey, values)
        two = _gather(_sy_key(c2, year), skey, values)
        cols = {f"{k}1": v for k, v in one.items()} | {f"{k}2": v for k, v in two.items()}
    return _with(frame, cols, "cow-nmc")


# --- trade -------------------------------------------------------------------------------


def add_trade(frame: pd.DataFrame, data: DataSources) -> pd.DataFrame:
    """Add COW trade: national totals (state-years) or dyadic flows, shares and asymmetry.

    On a dyad-year frame the columns are ``imports1`` (what ``ccode1`` imports
    from ``ccode2``, million current USD), ``imports2``, ``trade`` (their sum),
    ``total_trade1``/``total_trade2`` (each side's imports plus exports with
    the world), ``trade_share1 = trade / total_trade1`` and ``trade_share2``,
    and ``trade_asymmetry = trade_share1 - trade_share2`` (positive when the
    dyad matters more to ``ccode1``; Hirschman 1945). On a state-year frame:
    ``imports, exports, total_trade``.

    Notes
    -----
    The totals need ``cow-trade-national``; without it the shares are missing
    and a warning says so. A dyad COW does not list is missing, not 0.
    """
    unit = require_unit(frame, STATE_YEAR, DYAD_YEAR, verb="add_trade")
    national = (
        data.load("cow-trade-national", purpose="add_trade")
        if (unit == STATE_YEAR or data.available("cow-trade-national"))
        else None
    )
    if unit == STATE_YEAR:
        assert national is not None
        _outside(frame, national.attrs.get("coverage"), "cow-trade-national")
        key = _sy_key(frame["ccode"].to_numpy(), frame["year"].to_numpy())
        cols = _gather(
            key,
            _sy_key(national["ccode"].to_numpy(), national["year"].to_numpy()),
            {
                "imports": national["imports"].to_numpy(float),
                "exports": national["exports"].to_numpy(float),
            },
        )
        cols["total_trade"] = cols["imports"] + cols["exports"]
        return _with(frame, cols, "cow-trade-national")
    dyadic = data.load("cow-trade-dyadic", purpose="add_trade")
    _outside(frame, dyadic.attrs.get("coverage"), "cow-trade-dyadic")
    c1, c2, year = _sides(frame)
    lo, hi = np.minimum(c1, c2), np.maximum(c1, c2)
    flows = _gather(
        _dy_key(lo, hi, year),
        _dy_key(
            dyadic["ccode1"].to_numpy(), dyadic["ccode2"].to_numpy(), dyadic["year"].to_numpy()
        ),
        {"flow1": dyadic["flow1"].to_numpy(float), "flow2": dyadic["flow2"].to_numpy(float)},
    )
    first_is_low = c1 < c2
    imports1 = np.where(first_is_low, flows["flow1"], flows["flow2"])
    imports2 = np.where(first_is_low, flows["flow2"], flows["flow1"])
    cols = {"imports1": imports1, "imports2": imports2, "trade": imports1 + imports2}
    sources = "cow-trade-dyadic"
    if national is not None:
        nkey = _sy_key(national["ccode"].to_numpy(), national["year"].to_numpy())
        totals = (national["imports"] + national["exports"]).to_numpy(float)
        t1 = _gather(_sy_key(c1, year), nkey, {"t": totals})["t"]
        t2 = _gather(_sy_key(c2, year), nkey, {"t": totals})["t"]
        with np.errstate(divide="ignore", invalid="ignore"):
            s1 = np.where(t1 > 0, cols["trade"] / t1, np.nan)
            s2 = np.where(t2 > 0, cols["trade"] / t2, np.nan)
        cols |= {
            "total_trade1": t1,
            "total_trade2": t2,
            "trade_share1": s1,
            "trade_share2": s2,
            "trade_asymmetry": s1 - s2,
        }
        sources += "+cow-trade-national"
    else:
        warnings.warn(
            "cow-trade-national is not available: trade shares and asymmetry are missing",
            CoverageWarning,
            stacklevel=2,
        )
        nan = np.full(len(frame), np.nan)
        cols |= {
            k: nan
            for k in (
                "total_trade1",
                "total_trade2",
                "trade_share1",
                "trade_share2",
                "trade_asymmetry",
            )
        }
    return _with(frame, cols, sources)


# --- arms transfers ----------------------------------------------------------------------


def _register_flows(register: pd.DataFrame) -> pd.DataFrame:
    states = register[(register.supplier_cow > 0) & (register.recipient_cow > 0)]
    return (
        states.groupby(["supplier_cow", "recipient_cow", "year"], sort=False)["tiv"]
        .sum(min_count=1)
        .reset_index()
    )


def add_arms_transfers(
    frame: pd.DataFrame, data: DataSources, *, source: str = "auto"
) -> pd.DataFrame:
    """Add SIPRI arms transfers in TIV (million trend-indicator values).

    Dyad-years get ``tiv_1to2`` (delivered by ``ccode1`` to ``ccode2``) and
    ``tiv_2to1`` from the trade register. State-years get ``arms_imports_tiv``
    and ``arms_exports_tiv`` from the register (``source="register"``) or
    SIPRI's TIV tables (``source="tiv-tables"``); ``"auto"`` takes the register
    when it is available.

    Notes
    -----
    The register lists every delivery SIPRI knows of, so inside the years the
    file covers a dyad without deliveries gets 0; outside them, missing.
    Deliveries by or to non-state actors are left out of the dyadic sums and
    kept in the state totals.
    """
    unit = require_unit(frame, STATE_YEAR, DYAD_YEAR, verb="add_arms_transfers")
    if source not in {"auto", "register", "tiv-tables"}:
        raise UserError(f"source must be auto, register or tiv-tables, not '{source}'")
    use_register = (
        source == "register"
        or unit == DYAD_YEAR
        or (source == "auto" and data.available("sipri-register"))
    )
    if use_register:
        register = data.load("sipri-register", purpose="add_arms_transfers")
        coverage = register.attrs.get("coverage")
        outside = _outside(frame, coverage, "sipri-register")
        if unit == DYAD_YEAR:
            flows = _register_flows(register)
            fkey = _dy_key(
                flows["supplier_cow"].to_numpy(),
                flows["recipient_cow"].to_numpy(),
                flows["year"].to_numpy(),
            )
            c1, c2, year = _sides(frame)
            a = _gather(_dy_key(c1, c2, year), fkey, {"t": flows["tiv"].to_numpy(float)})["t"]
            b = _gather(_dy_key(c2, c1, year), fkey, {"t": flows["tiv"].to_numpy(float)})["t"]
            cols = {
                "tiv_1to2": np.where(outside, np.nan, np.nan_to_num(a)),
                "tiv_2to1": np.where(outside, np.nan, np.nan_to_num(b)),
            }
            return _with(frame, cols, "sipri-register")
        imports = register.groupby(["recipient_cow", "year"])["tiv"].sum().reset_index()
        exports = register.groupby(["supplier_cow", "year"])["tiv"].sum().reset_index()
        key = _sy_key(frame["ccode"].to_numpy(), frame["year"].to_numpy())
        imp = _gather(
            key,
            _sy_key(imports.recipient_cow.to_numpy(), imports.year.to_numpy()),
            {"t": imports.tiv.to_numpy(float)},
        )["t"]
        exp = _gather(
            key,
            _sy_key(exports.supplier_cow.to_numpy(), exports.year.to_numpy()),
            {"t": exports.tiv.to_numpy(float)},
        )["t"]
        cols = {
            "arms_imports_tiv": np.where(outside, np.nan, np.nan_to_num(imp)),
            "arms_exports_tiv": np.where(outside, np.nan, np.nan_to_num(exp)),
        }
        return _with(frame, cols, "sipri-register")
    tables = (("sipri-tiv-imports", "arms_imports_tiv"), ("sipri-tiv-exports", "arms_exports_tiv"))
    if not any(data.available(d) for d, _ in tables):
        raise DatasetNotRegistered(
            "sipri-tiv-imports", purpose="add_arms_transfers (or register sipri-register)"
        )
    cols = {}
    key = _sy_key(frame["ccode"].to_numpy(), frame["year"].to_numpy())
    for dataset, name in tables:
        if not data.available(dataset):
            warnings.warn(
                f"{dataset} is not available: {name} is missing", CoverageWarning, stacklevel=2
            )
            cols[name] = np.full(len(frame), np.nan)
            continue
        table = data.load(dataset, purpose="add_arms_transfers")
        table = table[table.ccode > 0]
        outside = _outside(frame, table.attrs.get("coverage"), dataset)
        got = _gather(
            key,
            _sy_key(table.ccode.to_numpy(), table.year.to_numpy()),
            {"t": table.tiv.to_numpy(float)},
        )["t"]
        cols[name] = np.where(outside, np.nan, np.nan_to_num(got))
    return _with(frame, cols, "sipri-tiv-tables")


# --- UN General Assembly -----------------------------------------------------------------


def load_votes(data: DataSources, *, source: str = "auto") -> pd.DataFrame:
    """UN votes (``rcid, ccode, year, vote``) for the alignment measures.

    ``source="auto"`` takes ``unvotes`` (else ``voeten-unvotes``) and, when any
    of the UN's resolution files is registered (``unga-74`` ... ``unga-80``,
    ``unga-es-11``, ``unga-2025``), joins them after it
    (:func:`powerbalance.datasets.unga.combine_un_votes`: unvotes wins for the
    roll calls it holds, to 2020-01-14; the UN's files add the later ones), so
    the measures run to 2025. ``"unvotes"`` or ``"voeten-unvotes"`` reads that
    dataset alone; ``"un-resolutions"`` the UN's files alone.
    """
    if source == "auto":
        base = data.first_available("unvotes", "voeten-unvotes")
        if available_unga(data):
            joined = load_un_votes(data, base=base)
            assert joined is not None  # a UN resolution file is available
            return joined
        if base is None:
            raise DatasetNotRegistered(
                "unvotes", purpose="UN alignment (or register voeten-unvotes or unga-80)"
            )
        return data.load(base, purpose="UN alignment")
    if source in {"unvotes", "voeten-unvotes"}:
        return data.load(source, purpose="UN alignment")
    if source == "un-resolutions":
        joined = load_un_votes(data, base=None)
        if joined is None:
            raise DatasetNotRegistered("unga-80", purpose="UN alignment from the UN's files")
        return joined
    raise UserError(
        f"source must be auto, unvotes, voeten-unvotes or un-resolutions, not '{source}'"
    )


def add_un_alignment(
    frame: pd.DataFrame, data: DataSources, *, source: str = "auto", d_max: float = 2.0
) -> pd.DataFrame:
    """Add UN General Assembly vote agreement per dyad and calendar year.

    Columns: ``un_votes_common`` (roll calls both voted yes, abstain or no),
    ``un_agree`` (share of identical votes), ``un_s`` (Signorino and Ritter's
    S with ``d_max`` = 2 on yes/abstain/no = 1/2/3) and ``un_kappa`` (Cohen's
    kappa, as Häge 2011 recommends, correcting agreement for chance).

    The votes are unvotes (1946 to 2020-01-14) joined with the UN's resolution
    data when those are registered (to 2025 and beyond): see :func:`load_votes`.
    China's seat is the People's Republic's from November 1971; unvotes codes
    the earlier votes of the seat as Taiwan's (COW 713), so China's (710)
    dyads have no votes in common before 1971 (0 votes, missing measures).

    Notes
    -----
    For two states with ``n`` votes in common, ``S = 1 - 2 sum|x - y| / (d_max n)``
    and ``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed agreement
    and ``p_e = sum_k p_k(x) p_k(y)`` from each state's own vote shares on the
    common votes. A dyad with no votes in common has 0 votes and missing
    measures; kappa is missing when ``p_e = 1``. A year in which the data hold
    no roll call at all (outside their coverage, or between two files that
    leave it out) has missing votes in common, not 0.

    References
    ----------
    Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b. ISQ 43(1),
    115-144. doi:10.1111/0020-8833.00113.
    Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
    policy similarity for chance agreement. Political Analysis 19(3), 287-305.
    doi:10.1093/pan/mpr023.
    """
    require_unit(frame, DYAD_YEAR, verb="add_un_alignment")
    votes = load_votes(data, source=source)
    dataset = votes.attrs.get("dataset", source)
    outside = _outside(frame, votes.attrs.get("coverage"), dataset)
    c1, c2, year = _sides(frame)
    # a year without any roll call in the data is unknown, not a year of no common vote
    outside = outside | ~np.isin(year, np.unique(votes["year"].to_numpy()))
    measures = vote_measures_for_rows(votes, c1, c2, year, d_max=d_max)
    got = {
        "un_votes_common": measures["votes_common"],
        "un_agree": measures["agree"],
        "un_s": measures["s_score"],
        "un_kappa": measures["kappa"],
    }
    # inside coverage a state that cast no vote that year shares 0 votes; outside, unknown
    common = got["un_votes_common"]
    got["un_votes_common"] = np.where(outside, np.nan, np.nan_to_num(common))
    return _with(frame, got, dataset)


def add_ideal_points(
    frame: pd.DataFrame, data: DataSources, *, variant: str = "fp"
) -> pd.DataFrame:
    """Add Bailey–Strezhnev–Voeten UN ideal points.

    ``variant`` picks the estimate: ``"fp"`` (final-passage votes), ``"all"``
    or ``"legacy"``. State-years get ``idealpoint``; dyad-years get
    ``idealpoint1``, ``idealpoint2`` and ``idealpoint_distance = |idealpoint1 - idealpoint2|``.
    """
    unit = require_unit(frame, STATE_YEAR, DYAD_YEAR, verb="add_ideal_points")
    points = data.load("ideal-points", purpose="add_ideal_points")
    column = f"idealpoint_{variant}"
    if column not in points:
        have = [
            c.removeprefix("idealpoint_") for c in points.columns if c.startswith("idealpoint_")
        ]
        raise UserError(
            f"the ideal-points file has no '{variant}' estimate; it has {', '.join(have)}"
        )
    _outside(frame, points.attrs.get("coverage"), "ideal-points")
    pkey = _sy_key(points.ccode.to_numpy(), points.year.to_numpy())
    values = {"p": points[column].to_numpy(float)}
    if unit == STATE_YEAR:
        key = _sy_key(frame["ccode"].to_numpy(), frame["year"].to_numpy())
        return _with(frame, {"idealpoint": _gather(key, pkey, values)["p"]}, "ideal-points")
    c1, c2, year = _sides(frame)
    p1 = _gather(_sy_key(c1, year), pkey, values)["p"]
    p2 = _gather(_sy_key(c2, year), pkey, values)["p"]
    return _with(
        frame,
        {"idealpoint1": p1, "idealpoint2": p2, "idealpoint_distance": np.abs(p1 - p2)},
        "ideal-points",
    )


VERBS: dict[str, Callable[..., pd.DataFrame]] = {
    "capabilities": add_capabilities,
    "trade": add_trade,
    "arms": add_arms_transfers,
    "un_alignment": add_un_alignment,
    "ideal_points": add_ideal_points,
}


def add(frame: pd.DataFrame, data: DataSources, names: list[str]) -> pd.DataFrame:
    """Apply several verbs by name (``capabilities``, ``trade``, ``arms``, ``un_alignment``, ``ideal_points``)."""
    for name in names:
        verb = VERBS.get(name)
        if verb is None:
            raise UserError(f"unknown verb '{name}'; choose from {', '.join(VERBS)}")
        frame = verb(frame, data)
    return frame


def dyad_frame(
    data: DataSources,
    *,
    states: list[str] | None = None,
    start: int | None = None,
    end: int | None = None,
    add_verbs: list[str] | None = None,
    directed: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Build a dyad-year frame and apply verbs by name; the result carries ISO3 labels.

    This is what ``powerbalance dyads`` runs. ``on_step`` is called with the
    name of each step before it starts (for a progress display).
    """
    from powerbalance.frames.core import create_dyad_years, label_states

    if on_step:
        on_step("dyads")
    frame = create_dyad_years(data, directed=directed, start=start, end=end, states=states)
    for name in add_verbs or []:
        verb = VERBS.get(name)
        if verb is None:
            raise UserError(f"unknown verb '{name}'; choose from {', '.join(VERBS)}")
        if on_step:
            on_step(name)
        frame = verb(frame, data)
    return label_states(frame)
