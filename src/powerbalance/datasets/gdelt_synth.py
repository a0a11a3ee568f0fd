"""Synthetic GDELT event exports for benchmarks and tests.

The rows follow the real formats field by field (57/58 or 61 tab-separated
columns, no header, no quoting) and draw their values from distributions close
to GDELT's: actor countries weighted towards the states the news covers most
(about 40% of actors carry no country code), CAMEO root codes with the shares of
a real 2.0 export, the Goldstein weight and QuadClass that belong to the drawn
code, skewed mention counts, and tone that darkens with conflict. A few actor
names and URLs carry stray double quotes, as real files do.

On request some rows are malformed in the ways real archives are: a missing or
an extra field, a non-numeric Goldstein score, an impossible date. Their line
numbers are returned so tests can check that every one is reported.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from powerbalance.datasets.gdelt import cameo_event_codes
from powerbalance.errors import LimitExceeded, UserError
from powerbalance.limits import LIMITS

__all__ = ["NotEnoughSpace", "SynthSummary", "estimated_bytes", "synthesize"]

# Shares of actor country codes among coded actors, ordered as in a real 2.0
# export (USA leads by far, then the UK, Russia, Iran, China...).
_COUNTRIES = [
    "USA",
    "GBR",
    "RUS",
    "IRN",
    "CHN",
    "SYR",
    "CAN",
    "AFR",
    "TUR",
    "JPN",
    "FRA",
    "UKR",
    "ARE",
    "NOR",
    "IND",
    "ESP",
    "DEU",
    "EUR",
    "IRL",
    "ITA",
    "MYS",
    "PHL",
    "KEN",
    "EGY",
    "PAK",
    "BRA",
    "BLR",
    "NLD",
    "LKA",
    "ZAF",
    "ISR",
    "BEL",
    "SAU",
    "MEX",
    "AUS",
    "KOR",
    "PRK",
    "KAZ",
    "POL",
    "NGA",
]
_COUNTRY_WEIGHTS = np.array(
    [
        389,
        93,
        53,
        39,
        38,
        34,
        32,
        30,
        26,
        26,
        24,
        23,
        23,
        22,
        21,
        21,
        19,
        18,
        17,
        16,
        15,
        11,
        11,
        11,
        10,
        10,
        10,
        9,
        9,
        8,
        8,
        8,
        6,
        6,
        7,
        9,
        6,
        5,
        8,
        9,
    ],
    dtype=float,
)
_P_COUNTRY = 0.62  # share of actors with a country code

# CAMEO root-code shares in a real GDELT 2.0 15-minute export (roots 01-20).
_ROOT_WEIGHTS = np.array(
    [297, 131, 169, 460, 165, 47, 73, 116, 45, 21, 149, 46, 24, 31, 2, 23, 93, 43, 176, 3],
    dtype=float,
)

_NAMES = (
    "OFFICIALS",
    "PRESIDENT",
    "GOVERNMENT",
    "MINISTRY",
    "POLICE",
    "MILITARY",
    "PRIME MINISTER",
    'THE "PEOPLE',  # a stray quote as real exports carry
    "COMPANY",
    "PROTESTER",
)
_PLACES = (
    "Washington, District of Columbia, United States\tUS\tUSDC\t\t38.8951\t-77.0364\t531871",
    "Moscow, Moskva, Russia\tRS\tRS48\t\t55.7522\t37.6156\t-2960561",
    "Beijing, Beijing, China\tCH\tCH22\t\t39.9289\t116.388\t-1898541",
    "London, London, City of, United Kingdom\tUK\tUKH9\t\t51.5\t-0.116667\t-2601889",
    "Kyiv, Kyyiv, Misto, Ukraine\tUP\tUP12\t\t50.4333\t30.5167\t-1044367",
    "Tehran, Tehran, Iran\tIR\tIR26\t\t35.75\t51.5148\t10074674",
)
_URLS = (
    "https://www.example-news.com/world/{}",
    "https://news.example.org/politics/story-{}.html",
    'https://www.example-daily.net/article?id={}&ref="home',
    "https://example.co.uk/news/{}/",
)


@dataclass
class SynthSummary:
    """What :func:`synthesize` wrote."""

    path: Path
    rows: int
    version: int
    malformed_lines: list[int] = field(default_factory=list)
    malformed_kinds: list[str] = field(default_factory=list)
    bytes: int = 0


_KINDS = ("missing field", "extra field", "non-numeric Goldstein", "bad date")


def _pick(
    rng: np.random.Generator, pool: np.ndarray, n: int, p: np.ndarray | None = None
) -> np.ndarray:
    return pool[rng.choice(len(pool), size=n, p=p)]


def _chunk(
    rng: np.random.Generator,
    *,
    n: int,
    first_id: int,
    version: int,
    start: date,
    days: int,
    dateadded: str,
    codes: np.ndarray,
    code_p: np.ndarray,
    code_gold: np.ndarray,
    bad: dict[int, str],
) -> str:
    """Render ``n`` rows as text; ``bad`` maps a row offset in the chunk to a malformation."""
    countries = np.array(_COUNTRIES, dtype=object)
    cp = _COUNTRY_WEIGHTS / _COUNTRY_WEIGHTS.sum()
    a1 = np.where(rng.random(n) < _P_COUNTRY, _pick(rng, countries, n, cp), "")
    a2 = np.where(rng.random(n) < _P_COUNTRY, _pick(rng, countries, n, cp), "")
    ci = rng.choice(len(codes), size=n, p=code_p)
    code = codes[ci]
    gold = code_gold[ci]
    root = np.array([c[:2] for c in code], dtype=object)
    rootn = root.astype(int)
    quad = np.where(rootn <= 5, 1, np.where(rootn <= 9, 2, np.where(rootn <= 14, 3, 4)))
    mentions = 1 + rng.negative_binomial(1, 0.25, size=n)
    sources = np.minimum(mentions, 1 + rng.poisson(0.4, size=n))
    articles = np.minimum(mentions, sources + rng.poisson(1.0, size=n))
    tone = np.round(rng.normal(-1.0 - 0.9 * (quad - 1), 3.0), 10)
    is_root = (rng.random(n) < 0.55).astype(int)
    offsets = rng.integers(0, days, size=n)
    day0 = np.datetime64(start.isoformat())
    dates = (day0 + offsets.astype("timedelta64[D]")).astype("datetime64[D]")
    sqldate = np.char.replace(dates.astype(str), "-", "")
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    month0 = dates.astype("datetime64[M]").astype(int) % 12
    doy = (dates - dates.astype("datetime64[Y]")).astype(int)
    frac = np.char.mod("%.4f", years + doy / 365.0)
    head = np.char.add(
        np.char.add(sqldate, "\t"), np.char.add(np.char.mod("%d", years * 100 + month0 + 1), "\t")
    )
    head = np.char.add(np.char.add(head, np.char.mod("%d", years)), np.char.add("\t", frac))
    names = np.array(_NAMES, dtype=object)
    name1 = np.where(a1 != "", _pick(rng, names, n), "")
    name2 = np.where(a2 != "", _pick(rng, names, n), "")
    places = np.array(_PLACES, dtype=object)
    place = _pick(rng, places, n)
    if version == 1:  # 1.0 geography has no ADM2Code: drop the empty 4th field
        place = np.array([p.replace("\t\t", "\t", 1) for p in places], dtype=object)[
            rng.integers(0, len(places), size=n)
        ]
    geo = np.where(
        rng.random(n) < 0.7, "4\t" + place, "0\t\t\t\t" + ("\t" if version == 2 else "") + "\t\t"
    )
    urls = np.array(_URLS, dtype=object)
    url_i = rng.integers(0, len(urls), size=n)

    a1, a2, name1, name2 = a1.tolist(), a2.tolist(), name1.tolist(), name2.tolist()
    code, root, quad, gold = code.tolist(), root.tolist(), quad.tolist(), gold.tolist()
    mentions, sources, articles = mentions.tolist(), sources.tolist(), articles.tolist()
    tone, is_root, geo, url_i = tone.tolist(), is_root.tolist(), geo.tolist(), url_i.tolist()
    head = head.tolist()
    gold_s = [f"{g:.1f}" for g in gold]
    lines = []
    for i in range(n):
        eid = first_id + i
        h = head[i]
        g = gold_s[i]
        kind = bad.get(i)
        if kind == "non-numeric Goldstein":
            g = "n/a"
        elif kind == "bad date":
            h = h[:4] + "13" + h[6:]
        actor1 = f"{a1[i]}\t{name1[i]}\t{a1[i]}\t\t\t\t\t\t\t" if a1[i] else "\t" * 9
        actor2 = f"{a2[i]}\t{name2[i]}\t{a2[i]}\t\t\t\t\t\t\t" if a2[i] else "\t" * 9
        c = code[i]
        base = c[:3]
        row = (
            f"{eid}\t{h}\t{actor1}\t{actor2}\t{is_root[i]}\t{c}\t{base}\t{root[i]}\t"
            f"{quad[i]}\t{g}\t{mentions[i]}\t{sources[i]}\t{articles[i]}\t{tone[i]}\t"
            f"{geo[i]}\t{geo[i]}\t{geo[i]}\t{dateadded}"
        )
        # Every seventh 1.0 row has the pre-2013 57-column layout (no SOURCEURL).
        if version == 2 or i % 7 or kind == "extra field":
            row += "\t" + urls[url_i[i]].format(eid)
        if kind == "missing field":
            row = row.rsplit("\t", 2)[0] if version == 1 else row.rsplit("\t", 1)[0]
        elif kind == "extra field":
            row += "\textra"
        lines.append(row)
    return "\n".join(lines) + "\n"


#: The widest spread of event dates, in days (about 270 years).
MAX_DAYS = 100_000
#: Bytes a row takes, a little above the measured 317 (1.0) and 331 (2.0); zipped, about 51.
BYTES_PER_ROW = 340
BYTES_PER_ZIPPED_ROW = 60


class NotEnoughSpace(LimitExceeded):
    """The file to write would not fit in the free space of its disk."""


def estimated_bytes(rows: int, *, zipped: bool = False) -> int:
    """The size a synthetic export of ``rows`` rows is expected to take (a slight overestimate).

    Examples
    --------
    >>> estimated_bytes(1_000_000)
    340000000
    """
    return rows * (BYTES_PER_ZIPPED_ROW if zipped else BYTES_PER_ROW)


def check_free_space(out: Path, needed: int) -> None:
    """Refuse to write ``needed`` bytes at ``out`` when its disk has less free space."""
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # the space is unknown: the write itself reports a full disk
    if needed > free:
        raise NotEnoughSpace(
            f"{out} would take about {needed / 1e6:,.1f} MB ({needed:,} bytes) but only "
            f"{free / 1e6:,.1f} MB ({free:,} bytes) are free there; write fewer --rows, "
            "a .zip (about a sixth of the size) or to another disk"
        )


def synthesize(
    out: str | Path,
    *,
    rows: int,
    version: int = 2,
    seed: int = 0,
    malformed: int = 0,
    start: date = date(2024, 1, 1),
    days: int = 366,
    compress: bool = False,
    chunk_rows: int = 200_000,
    progress: Callable[[int, int], None] | None = None,
) -> SynthSummary:
    """Write a synthetic GDELT event export of ``rows`` rows.

    Parameters
    ----------
    out
        The file to write (``.zip`` or ``compress=True`` writes a zip archive
        holding one ``.export.CSV`` member).
    rows
        Number of rows, malformed ones included.
    version
        1 (GDELT 1.0 daily, a mix of 57- and 58-column rows) or 2 (GDELT 2.0, 61).
    seed
        Seed of the one random generator; the same seed writes the same bytes.
    malformed
        Number of malformed rows to plant, cycling through a missing field, an
        extra field, a non-numeric Goldstein score and a month-13 date.
    start, days
        Event dates (SQLDATE) are drawn uniformly from ``days`` days from ``start``.
    progress
        Called with (rows written, rows) after each chunk.

    Raises
    ------
    LimitExceeded
        When ``rows`` exceeds the limit ``events.synth.rows``, or the file's
        estimated size exceeds the free space where it is written
        (:class:`NotEnoughSpace`). A write that fails or is interrupted removes
        the partial file.

    Returns
    -------
    SynthSummary
        Including the 1-based line numbers and kinds of the malformed rows.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> s = synthesize(d / "x.export.CSV", rows=50, malformed=2, seed=1)
    >>> len((d / "x.export.CSV").read_text().splitlines()), s.malformed_kinds
    (50, ['missing field', 'extra field'])
    """
    if version not in (1, 2):
        raise UserError(f"--version must be 1 or 2, got {version}")
    LIMITS["events.synth.rows"].check(rows, option="--rows")
    if not 0 <= malformed <= rows:
        raise UserError(f"--malformed must lie between 0 and the number of rows ({rows:,})")
    if seed < 0:
        raise UserError(f"--seed must be 0 or more, got {seed:,}")
    if not 1 <= days <= MAX_DAYS:
        raise UserError(f"--days must lie between 1 and {MAX_DAYS:,}, got {days:,}")
    if (date.max - start).days <= days:
        raise UserError(f"--start {start} plus {days:,} days runs past the year 9999")
    out = Path(out)
    if out.is_dir():
        raise UserError(
            f"{out} is a folder; give the file to write, like {out / 'synth.export.CSV'}"
        )
    zipped = compress or out.suffix.lower() == ".zip"
    check_free_space(out, estimated_bytes(rows, zipped=zipped))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {out.parent} ({exc.strerror})") from None
    rng = np.random.default_rng(seed)
    table = cameo_event_codes()
    codes = np.array([c for c in table if len(c) >= 3], dtype=object)
    roots = np.array([int(c[:2]) for c in codes])
    counts = np.bincount(roots, minlength=21)[1:]
    # Within a root, base codes (3 digits) are reported far more often than detail codes.
    within = np.array([3.0 if len(c) == 3 else 1.0 for c in codes])
    root_mass = np.zeros(20)
    np.add.at(root_mass, roots - 1, within)
    code_p = _ROOT_WEIGHTS[roots - 1] / _ROOT_WEIGHTS.sum() * within / root_mass[roots - 1]
    code_p = code_p / code_p.sum()
    assert counts.min() > 0
    code_gold = np.array([table[c].goldstein for c in codes])
    bad_rows = (
        np.sort(rng.choice(rows, size=malformed, replace=False)) if malformed else np.array([], int)
    )
    kinds = [_KINDS[i % len(_KINDS)] for i in range(malformed)]
    by_row = dict(zip(bad_rows.tolist(), kinds, strict=True))
    dateadded = (start + timedelta(days=days)).strftime("%Y%m%d") + (
        "143000" if version == 2 else ""
    )
    summary = SynthSummary(out, rows, version, [r + 1 for r in bad_rows.tolist()], kinds)

    zf: zipfile.ZipFile | None = None
    try:
        if zipped:
            member = out.name[:-4] if out.suffix.lower() == ".zip" else out.name
            if not member.lower().endswith((".csv", ".tsv")):
                member += ".export.CSV"
            zf = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
            sink: io.IOBase = zf.open(member, "w", force_zip64=True)  # type: ignore[assignment]
        else:
            sink = out.open("wb")
    except OSError as exc:
        if zf is not None:
            zf.close()
        out.unlink(missing_ok=True)
        raise UserError(f"cannot write {out} ({exc.strerror})") from None
    finished = False
    try:
        written = 0
        first = 0
        while first < rows:
            n = min(chunk_rows, rows - first)
            bad = {r - first: k for r, k in by_row.items() if first <= r < first + n}
            text = _chunk(
                rng,
                n=n,
                first_id=1_000_000_000 + first,
                version=version,
                start=start,
                days=days,
                dateadded=dateadded,
                codes=codes,
                code_p=code_p,
                code_gold=code_gold,
                bad=bad,
            )
            data = text.encode()
            sink.write(data)
            written += len(data)
            first += n
            if progress is not None:
                progress(first, rows)
        sink.close()
        if zf is not None:
            zf.close()
        summary.bytes = written
        finished = True
    except OSError as exc:
        raise UserError(
            f"writing {out} failed after {first:,} of {rows:,} rows ({exc.strerror}); "
            "the partial file was removed"
        ) from None
    finally:
        if not finished:
            # An error or an interrupt (Ctrl-C) leaves no partial file behind.
            for close in (sink.close, *((zf.close,) if zf is not None else ())):
                with contextlib.suppress(OSError, ValueError, zipfile.BadZipFile):
                    close()  # the file is removed below anyway
            out.unlink(missing_ok=True)
    return summary
