"""Low-level file reading shared by the readers: formats, encodings, preambles, a parse cache."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from powerbalance.datasets.cards import DatasetCard, Layout
from powerbalance.errors import DatasetFormatError, InputFileError

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
CACHE_VERSION = "2"  # 2: .rda files read by our own reader


def file_format(path: Path) -> str:
    """``"rda"``, ``"dta"`` or ``"csv"`` from the extension, else from the first bytes."""
    suffix = path.suffix.lower()
    if suffix in {".rda", ".rdata", ".rds"}:
        return "rda"
    if suffix == ".dta":
        return "dta"
    if suffix in {".csv", ".tsv", ".txt", ".tab"}:
        return "csv"
    head = path.read_bytes()[:8]
    if head.startswith((b"\xfd7zXZ", b"\x1f\x8b", b"BZh", b"RDX", b"RDA")):
        return "rda"
    return "csv"


def decode(path: Path) -> str:
    """The file's text, trying UTF-8 (with or without BOM), then Windows-1252, then Latin-1."""
    data = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(str(path), "cannot decode the file as text")  # pragma: no cover


def sniff_delimiter(line: str) -> str:
    """The separator of a header line: tab, semicolon or comma, whichever splits it most."""
    counts = {sep: line.count(sep) for sep in ("\t", ";", ",")}
    # a trailing ';' on a comma-separated line is a stray terminator, not the separator
    if line.rstrip().endswith(";") and counts[","] > counts[";"]:
        return ","
    return max(counts, key=lambda s: counts[s])


def read_delimited(
    path: Path,
    *,
    is_header: Callable[[list[str]], bool] | None = None,
    what: str = "the header row",
) -> pd.DataFrame:
    """Read a delimited text file whose header may follow a preamble of notes.

    The header is the first line for which ``is_header(cells)`` is true (the
    first line when no predicate is given). A separator ending every line
    (SIPRI's exports end lines with ``;``) is removed. All columns are read as
    text; the readers convert them.
    """
    text = decode(path)
    lines = text.splitlines()
    start = 0
    if is_header is not None:
        for i, line in enumerate(lines[:200]):
            cells = next(csv.reader([line], delimiter=sniff_delimiter(line)), [])
            if is_header([c.strip() for c in cells]):
                start = i
                break
        else:
            raise DatasetFormatError(
                str(path),
                f"no line in the first 200 looks like {what}",
                hint="is this the right file?",
            )
    numbered = [(i + 1, ln) for i, ln in enumerate(lines) if i >= start and ln.strip()]
    body = [ln for _, ln in numbered]
    if not body:
        raise DatasetFormatError(str(path), "the file has no data rows")
    sep = sniff_delimiter(body[0])
    if sep != ";" and sum(ln.rstrip().endswith(";") for ln in body) >= 0.9 * len(body):
        body = [ln.rstrip()[:-1] if ln.rstrip().endswith(";") else ln for ln in body]
    rows = list(csv.reader(body, delimiter=sep))
    header = [c.strip() for c in rows[0]]
    while header and header[-1] == "" and len(header) > 1:
        header.pop()
    width = len(header)
    data: list[list[str]] = []
    for (number, _), row in zip(numbered[1:], rows[1:], strict=False):
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                raise DatasetFormatError(
                    str(path),
                    f"the row has {len(row)} fields but the header {width}",
                    record=f"line {number}",
                    hint="a stray separator? check the line",
                )
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        data.append(row)
    frame = pd.DataFrame(data, columns=header, dtype=object)
    frame.columns = [str(c).strip().strip(";").strip() for c in frame.columns]
    return frame


def read_r(path: Path) -> pd.DataFrame:
    """The largest data frame of an R ``.rda``/``.RData``/``.rds`` file.

    Read by :mod:`powerbalance.datasets.rdata`; files holding objects that
    reader does not decode (:class:`~powerbalance.datasets.rdata.NotSupported`)
    are handed to pyreadr.
    """
    from powerbalance.datasets.rdata import NotSupported, read_rdata

    try:
        objects = read_rdata(path)
    except NotSupported:
        return read_r_pyreadr(path)
    frames = [v for v in objects.values() if isinstance(v, pd.DataFrame)]
    if not frames:
        # the file may hold a frame in a form the reader passed over (an S4 slot ...)
        return read_r_pyreadr(path)
    return max(frames, key=len).reset_index(drop=True)


def read_r_pyreadr(path: Path) -> pd.DataFrame:
    """The largest data frame of an R data file, read by pyreadr (librdata)."""
    import pyreadr

    try:
        result = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises several private error types
        raise DatasetFormatError(str(path), f"not a readable R data file ({exc})") from None
    frames = [v for v in result.values() if isinstance(v, pd.DataFrame)]
    if not frames:
        raise DatasetFormatError(str(path), "the R file holds no data frame")
    return max(frames, key=len).reset_index(drop=True)


def read_any(path: Path) -> pd.DataFrame:
    """Read a file by its format (csv without preamble, rda or dta)."""
    fmt = file_format(path)
    if fmt == "rda":
        return read_r(path)
    if fmt == "dta":
        try:
            return pd.read_stata(path)
        except Exception as exc:
            raise DatasetFormatError(str(path), f"not a readable Stata file ({exc})") from None
    return read_delimited(path)


def match_layout(
    path: Path, card: DatasetCard, columns: Sequence[str], *, fmt: str | None = None
) -> Layout:
    """The card's layout whose required columns the file has, else a :class:`DatasetFormatError`.

    Placeholders such as ``<years>`` in a layout are checked by the reader itself.
    """
    fmt = fmt or file_format(path)
    present = {str(c) for c in columns}
    candidates = [lay for lay in card.layouts if lay.format == fmt] or list(card.layouts)
    for layout in candidates:
        required = [c for c in layout.columns if not c.startswith("<")]
        if all(c in present for c in required):
            return layout
    expected = "; or ".join(
        ", ".join(c for c in lay.columns if not c.startswith("<")) for lay in candidates
    )
    found = ", ".join(list(map(str, columns))[:20]) + (" ..." if len(columns) > 20 else "")
    raise DatasetFormatError(
        str(path),
        f"this is not a {card.id} file: expected columns {expected}; found {found or 'none'}",
        hint=f"see `powerbalance data info {card.id}`",
    )


def numeric(series: pd.Series, *, negative_missing: bool = False) -> pd.Series:
    """Numbers from text or numbers; blanks, '..', and (optionally) negative codes become missing."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        cleaned = series.astype(str).str.strip().str.replace("?", "", regex=False)
        cleaned = cleaned.str.replace(",", "", regex=False)
        out = pd.to_numeric(cleaned, errors="coerce")
    else:
        out = pd.to_numeric(series, errors="coerce")
    out = out.astype("float64")
    if negative_missing:
        out = out.where(out >= 0)
    return out


# --- parse cache ----------------------------------------------------------------------


def cache_dir() -> Path | None:
    """Where parsed datasets are cached as Parquet (``$POWERBALANCE_CACHE``; ``off`` disables)."""
    env = os.environ.get("POWERBALANCE_CACHE")
    if env is not None:
        return None if env.lower() in {"", "0", "off", "no"} else Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("powerbalance", appauthor=False)) / "datasets"


def cached(
    key_parts: Sequence[object], paths: Sequence[Path], build: Callable[[], pd.DataFrame]
) -> pd.DataFrame:
    """Return ``build()``, reusing a Parquet copy while the source files are unchanged.

    The key holds each file's absolute path, size and modification time, so an
    edited or replaced file is parsed again.
    """
    root = cache_dir()
    if root is None:
        return build()
    h = hashlib.sha256(CACHE_VERSION.encode())
    for part in key_parts:
        h.update(repr(part).encode())
    for p in paths:
        st = p.stat()
        h.update(f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    target = root / f"{h.hexdigest()[:32]}.parquet"
    if target.exists():
        try:
            frame = pd.read_parquet(target)
            frame.attrs.update(_attrs_from_parquet(target))
            return frame
        except Exception:  # a damaged cache file is rebuilt
            target.unlink(missing_ok=True)
    frame = build()
    try:
        import json

        import pyarrow as pa
        import pyarrow.parquet as pq

        root.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"powerbalance_attrs"] = json.dumps(frame.attrs, default=str).encode()
        table = table.replace_schema_metadata(meta)
        tmp = target.with_suffix(".tmp")
        pq.write_table(table, tmp)
        tmp.replace(target)
    except Exception:  # caching is an optimisation: never fail a read because of it
        pass
    return frame


def _attrs_from_parquet(path: Path) -> dict:
    import json

    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(b"powerbalance_attrs")
    if not raw:
        return {}
    attrs = json.loads(raw)
    if "coverage" in attrs and attrs["coverage"] is not None:
        attrs["coverage"] = tuple(attrs["coverage"])
    return attrs
