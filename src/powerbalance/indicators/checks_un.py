"""Checks of claims about UN General Assembly votes."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from powerbalance.datasets.codes import to_cow
from powerbalance.datasets.registry import DataSources
from powerbalance.datasets.unga import available_unga, load_unga, merge_unga
from powerbalance.evidence.models import Claim
from powerbalance.indicators.checks_base import (
    Alternative,
    Computation,
    Computed,
    NotCovered,
    need_years,
    years_of,
)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as text, or empty strings when the frame lacks it."""
    if column in frame.columns:
        return frame[column].astype(str)
    return pd.Series("", index=frame.index, dtype=str)


def un_abstention_share(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's votes that were abstentions, on roll calls whose description names a topic."""
    votes = data.load("unvotes", purpose=claim.id)
    calls = data.load("unvotes-roll-calls", purpose=claim.id)
    years = years_of(claim.period)
    need_years(votes, years, "unvotes")
    topic = str(params.get("topic", "")).lower()
    text = (_text(calls, "short") + " " + _text(calls, "descr")).str.lower()
    chosen = calls.loc[text.str.contains(topic, regex=False) & calls.year.isin(years), "rcid"]
    country = to_cow(params.get("country", claim.actor))
    mine = votes[(votes.ccode == country) & votes.rcid.isin(chosen)]
    if mine.empty:
        raise NotCovered(f"no roll calls on '{topic}' in {claim.period.label()} in the file")
    return Computed(100.0 * float((mine.vote == 2).mean()), {"roll_calls": len(mine)})


#: Resolutions "on Ukraine": those of the emergency special session on Ukraine (ES-11),
#: and those whose title names Ukraine, Crimea or Sevastopol.
UKRAINE_SESSIONS = ("ES-11",)
UKRAINE_TITLE = r"ukrain|crimea|sevastopol"
_VOTE_NAMES = {1: "yes", 2: "abstain", 3: "no"}


def _covered_years(frames: list[pd.DataFrame]) -> set[int]:
    years: set[int] = set()
    for frame in frames:
        coverage = frame.attrs.get("coverage")
        if coverage:
            years.update(range(int(coverage[0]), int(coverage[1]) + 1))
    return years


def _share(rows: pd.DataFrame) -> tuple[float, dict[str, Any]]:
    counts = {name: rows.loc[rows.vote == name, "symbol"].tolist() for name in _VOTE_NAMES.values()}
    absent = rows.loc[rows.vote == "absent", "symbol"].tolist()
    share = 100.0 * len(counts["abstain"]) / len(rows) if len(rows) else float("nan")
    detail = {
        "resolutions": len(rows),
        "abstained_on": counts["abstain"],
        "voted_against": counts["no"],
        "voted_for": counts["yes"],
        "did_not_vote": absent,
    }
    return share, detail


def un_ukraine_abstentions(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of the General Assembly's recorded votes on Ukraine on which a country abstained.

    Rule: the resolutions "on Ukraine" are the recorded votes, adopted within
    the claim's period, of the emergency special session on Ukraine (ES-11)
    and every resolution whose title names Ukraine, Crimea or Sevastopol
    (the yearly Crimea and occupied-territories resolutions, the Zaporizhzhia
    nuclear plant). The share is the country's abstentions over those
    resolutions (an absence counts in the denominator and is listed).

    Read from the UN's resolution data (``unga-74`` ... ``unga-80``,
    ``unga-es-11``) and the 2025 table (``unga-2025``), the UN's own record
    winning where both hold a resolution. Figures under the two halves of the
    rule (ES-11 alone; titles alone) are reported as alternatives. The detail
    lists, by symbol, the resolutions abstained on and voted against.
    """
    frames = load_unga(data)
    if not frames:
        raise NotCovered("no UN resolution file is registered (unga-es-11, unga-74 ... unga-80)")
    start, end = claim.period.start, claim.period.end
    years = set(years_of(claim.period))
    missing = sorted(years - _covered_years(frames))
    if missing:
        have = sorted(_covered_years(frames))
        raise NotCovered(
            f"the registered UN resolution files cover {have[0]}-{have[-1]} with gaps; "
            f"no file covers {', '.join(map(str, missing))} (register the session files of "
            "those years: unga-74 ... unga-80, unga-2025)"
        )
    ids = available_unga(data)
    sessions = [str(s) for s in params.get("sessions", UKRAINE_SESSIONS)]
    es_frames = [f for f in frames if f.attrs.get("dataset") == "unga-es-11"]
    if es_frames and "unga-2025" not in ids:
        last = pd.Timestamp(es_frames[0]["date"].max()).date()
        if last < end and end.year >= 2025:
            raise NotCovered(
                f"the ES-11 file ends with the resolution of {last}; the emergency session's "
                "2025 resolutions are in the 2025 table: register unga-2025"
            )
    merged = merge_unga(frames)
    dates = merged["date"].dt.date
    merged = merged[(dates >= start) & (dates <= end)]
    pattern = re.compile(str(params.get("title_pattern", UKRAINE_TITLE)), re.IGNORECASE)
    calls = merged.drop_duplicates("symbol")[["symbol", "session", "date", "title", "source"]]
    country = to_cow(params.get("country", claim.actor))
    mine = merged.loc[merged.ccode == country, ["symbol", "vote"]].drop_duplicates("symbol")
    calls = calls.merge(mine, on="symbol", how="left")
    calls["vote"] = calls["vote"].map(_VOTE_NAMES).fillna("absent")
    calls = calls.sort_values(["date", "symbol"], kind="stable").reset_index(drop=True)
    in_session = calls["session"].isin(sessions).to_numpy()
    named = calls["title"].astype(str).str.contains(pattern).to_numpy()
    chosen = calls[in_session | named]
    if chosen.empty:
        raise NotCovered(f"no recorded vote on Ukraine in {claim.period.label()} in the files")
    value, detail = _share(chosen)
    detail["rule"] = (
        f"recorded votes of session {', '.join(sessions)} or with a title matching "
        f"'{pattern.pattern}', adopted from {start} to {end}"
    )
    detail["votes"] = [
        {
            "symbol": r.symbol,
            "date": str(pd.Timestamp(r.date).date()),
            "title": r.title,
            "vote": r.vote,
            "source": r.source,
        }
        for r in chosen.itertuples()
    ]
    detail["sources"] = ids
    alternatives = []
    for label, mask in (
        (f"session {', '.join(sessions)} only", in_session),
        ("titles naming Ukraine, Crimea or Sevastopol only", named),
    ):
        part = calls[mask]
        if len(part):
            share, part_detail = _share(part)
            alternatives.append(Alternative(label, share, part_detail))
    return Computed(
        value,
        detail,
        definition=f"session {', '.join(sessions)} or a title naming Ukraine, Crimea or Sevastopol",
        alternatives=alternatives,
    )


COMPUTATIONS: dict[str, Computation] = {
    "un_abstention_share": un_abstention_share,
    "un_ukraine_abstentions": un_ukraine_abstentions,
}
