"""Low-level file reading shared by the readers: formats, encodings, preambles, a parse cache."""

from __future__ import annotations

import bz2
import codecs
import csv
import hashlib
import lzma
import os
import struct
import warnings
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from powerbalance.datasets.cards import DatasetCard, Layout, year_range
from powerbalance.errors import DatasetFormatError

ENCODINGS = ("utf-8-sig", "cp1252")
CACHE_VERSION = "3"  # 3: strict checks of numbers, years, dates and row widths

# Control characters that never occur in a text table (tab, newlines, form feed and
# the DOS end-of-file mark excepted); a file with many of them is binary.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26))


def file_format(path: Path) -> str:
    """``"rda"``, ``"dta"`` or ``"csv"`` from the extension, else from the first bytes."""
    suffix = path.suffix.lower()
    if suffix in {".rda", ".rdata", ".rds"}:
        return "rda"
    if suffix == ".dta":
        return "dta"
    if suffix in {".csv", ".tsv", ".txt", ".tab"}:
        return "csv"
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith((b"\xfd7zXZ", b"\x1f\x8b", b"BZh", b"RDX", b"RDA")):
        return "rda"
    return "csv"


def binary_offset(data: bytes) -> int | None:
    """Where a file's bytes show it is not text (a zero byte, or many control bytes), else None."""
    head = data[: 1 << 16]
    zero = head.find(b"\x00")
    if zero >= 0:
        return zero
    control = len(head) - len(head.translate(None, _CONTROL))
    if control > max(8, len(head) // 100):
        return next(i for i, b in enumerate(head) if b in _CONTROL)
    return None


def decode(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252.

    A binary file, or one whose bytes are neither UTF-8 nor Windows-1252, is
    refused with the line where decoding fails.
    """
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DatasetFormatError(
                str(path),
                f"the file starts as UTF-16 text but byte {exc.start:,} is not UTF-16",
                hint="save it again as UTF-8 CSV",
            ) from None
    at = binary_offset(data)
    if at is not None:
        raise DatasetFormatError(
            str(path),
            f"this is not a text file (binary content at byte {at:,})",
            hint="a CSV text file is expected; export a spreadsheet or archive as CSV first",
        )
    failure: UnicodeDecodeError | None = None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            failure = failure or exc
    assert failure is not None
    line = data.count(b"\n", 0, failure.start) + 1
    raise DatasetFormatError(
        str(path),
        f"byte 0x{data[failure.start]:02x} is neither UTF-8 nor Windows-1252 text",
        record=f"line {line}",
        hint="save the file as UTF-8 CSV",
    )


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
    ragged: bool = False,
) -> pd.DataFrame:
    """Read a delimited text file whose header may follow a preamble of notes.

    The header is the first line for which ``is_header(cells)`` is true (the
    first line when no predicate is given). A separator ending every line
    (SIPRI's exports end lines with ``;``) is removed. All columns are read as
    text; the readers convert them. A row with fewer fields than the header (a file
    cut short) is refused naming its line and the first missing field, unless
    ``ragged`` (tables whose rows differ in width), where missing cells are blank.
    ``frame.attrs["lines"]`` holds each row's line number (see :func:`location`).
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
    named = [c.strip(";").strip() for c in header if c.strip(";").strip()]
    twice = next((c for i, c in enumerate(named) if c in named[:i]), None)
    if twice is not None:
        raise DatasetFormatError(
            str(path),
            f"the column '{twice}' appears twice in the header",
            record=f"line {numbered[0][0]}",
            hint="is this the right file?",
        )
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
            if not ragged:
                raise DatasetFormatError(
                    str(path),
                    f"the row ends after {len(row)} of the header's {width} fields",
                    record=f"line {number}",
                    field=header[len(row)],
                    hint="is the file cut short? download it again",
                )
            row = row + [""] * (width - len(row))
        data.append(row)
    if not data:
        raise DatasetFormatError(
            str(path), "the file has a header but no data rows", record=f"line {numbered[0][0]}"
        )
    frame = pd.DataFrame(data, columns=header, dtype=object)
    frame.columns = [str(c).strip().strip(";").strip() for c in frame.columns]
    frame.attrs["lines"] = [number for number, _ in numbered[1:]]
    return frame


# The first bytes of R data (once decompressed): save()'s magic lines (XDR, ASCII and
# native binary) and saveRDS()'s serialization headers.
_R_MAGIC = (
    b"RDX2\n",
    b"RDX3\n",
    b"RDA2\n",
    b"RDA3\n",
    b"RDB2\n",
    b"RDB3\n",
    b"X\n",
    b"A\n",
    b"B\n",
)

# A character column whose distinct values are at most this share of its rows becomes
# a pandas Categorical (country names repeated over a million votes), as factors are.
CATEGORICAL_SHARE = 0.5


def _r_head(path: Path) -> tuple[bool, bytes]:
    """Whether an R file is compressed, and its first bytes once decompressed.

    The bytes are empty when the compressed stream yields none (cut short, damaged).
    A bzip2 block is inflated only once whole, so up to 4 MB are fed in.
    """
    with path.open("rb") as f:
        head = f.read(1 << 16)
        if head.startswith(b"\x1f\x8b"):
            inflate = zlib.decompressobj(wbits=31).decompress
        elif head.startswith(b"BZh"):
            inflate = bz2.BZ2Decompressor().decompress
        elif head.startswith(b"\xfd7zXZ"):
            inflate = lzma.LZMADecompressor().decompress
        else:
            return False, head[:16]
        out = b""
        try:
            for _ in range(64):
                out += inflate(head)
                if len(out) >= 16 or not head:
                    break
                head = f.read(1 << 16)
        except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):
            pass
    return True, out[:16]


def _r_problem(path: Path, detail: str) -> DatasetFormatError:
    """Why pyreadr could not read an R file, in plain words, from the file's first bytes."""
    unreadable = "not a readable R data file"
    if path.stat().st_size == 0:
        return DatasetFormatError(
            str(path), f"{unreadable}: the file is empty", hint="download the R data file again"
        )
    compressed, head = _r_head(path)
    if head and not head.startswith(_R_MAGIC):
        inside = "; it is compressed, but what it holds is not R data" if compressed else ""
        return DatasetFormatError(
            str(path),
            f"{unreadable}: it does not start as a file written by R's save() or saveRDS()"
            + inside,
            hint="an .rda/.RData/.rds file saved by R is expected; is this the right file?",
        )
    if head.startswith((b"RDA", b"RDB", b"A\n", b"B\n")):
        return DatasetFormatError(
            str(path),
            f"{unreadable}: it is saved in R's ASCII or native format; only R's"
            f" default (XDR binary) format is read (pyreadr: {detail})",
            hint="save it again from R with save(..., ascii = FALSE)",
        )
    return DatasetFormatError(
        str(path),
        f"{unreadable}: it may be cut short or damaged, or hold R objects other than"
        f" data frames (pyreadr: {detail})",
        hint="download it again, or save the table again from R with save()",
    )


def _r_column(series: pd.Series) -> pd.Series:
    """A column as pyreadr returns it, with R's types given uniform pandas dtypes.

    pyreadr returns an integer column holding ``NA`` as Python ints and float
    NaNs (here float64, NA as NaN), a logical one with ``NA`` as objects (here
    pandas' nullable ``boolean``), a ``Date`` column as :class:`datetime.date`
    objects (here ``datetime64[s]``), ``POSIXct`` as nanoseconds (here
    ``datetime64[us]``) and a character column as strings (here a
    :class:`pandas.Categorical` when its values repeat, like factors).
    """
    if series.dtype == object:
        kind = pd.api.types.infer_dtype(series, skipna=True)
        if kind in {"integer", "floating", "mixed-integer-float"}:
            return series.astype("float64")
        if kind == "boolean":
            return series.astype("boolean")
        if kind in {"date", "datetime"}:
            unit = "datetime64[s]" if kind == "date" else "datetime64[us]"
            cells = series.where(series.notna(), None).to_numpy(dtype=object)
            return pd.Series(np.asarray(cells, dtype=unit), index=series.index, name=series.name)
        if kind != "string":
            return series
    elif isinstance(series.dtype, pd.CategoricalDtype):
        return series
    elif series.dtype.kind == "M":
        if getattr(series.dtype, "tz", None) is None and series.dtype != "datetime64[us]":
            return series.astype("datetime64[us]")
        return series
    elif not pd.api.types.is_string_dtype(series):
        return series
    if len(series) and series.nunique() <= CATEGORICAL_SHARE * len(series):
        return series.astype("category")
    return series.astype("str")


def read_r(path: Path) -> pd.DataFrame:
    """The largest data frame of an R ``.rda``/``.RData``/``.rds`` file, read by pyreadr.

    Columns get uniform dtypes (see :func:`_r_column`); row names are dropped.
    A file that is empty, not R data, cut short or holding no data frame is
    refused with a :class:`DatasetFormatError` naming it. The readers that call
    this run behind the parse cache (:func:`cached`), so a file is read once
    until it changes.
    """
    import pyreadr
    from pyreadr.custom_errors import LibrdataError, PyreadrError

    try:
        with warnings.catch_warnings():
            # "the file has no readable objects" is answered below
            warnings.simplefilter("ignore", UserWarning)
            result = pyreadr.read_r(str(path))
    except (LibrdataError, PyreadrError, ValueError) as exc:
        raise _r_problem(path, str(exc)) from None
    except OSError as exc:
        raise DatasetFormatError(
            str(path), f"the file cannot be read ({exc.strerror or exc})"
        ) from None
    frames = [v for v in result.values() if isinstance(v, pd.DataFrame)]
    # pyreadr also gives vectors (one column named after the object) and matrices
    # (numbered columns) as frames: prefer the data frames
    tables = [
        v
        for k, v in result.items()
        if isinstance(v, pd.DataFrame)
        and not (list(v.columns) == [k] or pd.api.types.is_integer_dtype(v.columns))
    ]
    if not frames:
        raise DatasetFormatError(
            str(path),
            "the R file holds no data frame",
            hint="save the table with save() as a data.frame",
        )
    frame = max(tables or frames, key=len).reset_index(drop=True)
    if frame.shape[1] == 0:
        return frame
    columns = [_r_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    return pd.concat(columns, axis=1)


def read_any(path: Path) -> pd.DataFrame:
    """Read a file by its format (csv without preamble, rda or dta)."""
    fmt = file_format(path)
    if fmt == "rda":
        return read_r(path)
    if fmt == "dta":
        try:
            return pd.read_stata(path)
        except (
            ValueError,
            EOFError,
            OSError,
            KeyError,
            IndexError,
            struct.error,
            UnicodeDecodeError,
        ) as exc:
            raise DatasetFormatError(str(path), f"not a readable Stata file ({exc})") from None
    return read_delimited(path)


def match_layout(
    path: Path, card: DatasetCard, columns: pd.Index | Sequence[str], *, fmt: str | None = None
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


def location(raw: pd.DataFrame, label: object) -> str | int:
    """Where row ``label`` of a file's frame is: ``"line N"`` for text files, else its record number."""
    lines = raw.attrs.get("lines")
    position = int(label)  # type: ignore[call-overload]
    if lines is not None and 0 <= position < len(lines):
        return f"line {lines[position]}"
    return position + 1


# Cells that mean "no value" in the text of a dataset.
MISSING_TEXT = frozenset({"", "na", "nan", "n/a", "nat", "null", "none", "..", ".", "-"})


def refuse_rows(
    raw: pd.DataFrame,
    series: pd.Series,
    mask: pd.Series | np.ndarray,
    path: Path,
    field: str,
    problem: Callable[[object], str],
) -> None:
    """Raise :class:`DatasetFormatError` at the first row where ``mask`` holds, if any."""
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        pos = int(mask.argmax())
        raise DatasetFormatError(
            str(path),
            problem(series.iloc[pos]),
            record=location(raw, series.index[pos]),
            field=field,
        )


def number_column(
    raw: pd.DataFrame,
    column: str,
    path: Path,
    *,
    field: str | None = None,
    whole: bool = False,
    missing: bool = True,
    minimum: float | None = None,
    maximum: float | None = None,
    negative_missing: bool = False,
) -> pd.Series:
    """A column's numbers; a cell that is not one is refused naming its line and field.

    Blank cells (and ``NA``, ``..``) are missing unless ``missing`` is false;
    ``whole`` asks for whole numbers; ``minimum``/``maximum`` bound the values;
    ``negative_missing`` makes negative codes (COW's ``-9``) missing after the checks.
    """
    series = raw[column]
    name = field or column
    values = numeric(series)

    def check(mask: pd.Series | np.ndarray, problem: Callable[[object], str]) -> None:
        refuse_rows(raw, series, mask, path, name, problem)

    blank = series.isna().to_numpy()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        text = series.astype(str).str.strip().str.lower()
        blank = blank | text.isin(MISSING_TEXT).to_numpy()
        check(values.isna().to_numpy() & ~blank, lambda v: f"'{v}' is not a number")
    if not missing:
        check(values.isna().to_numpy(), lambda v: "the value is missing")
    check(np.isinf(values.to_numpy()), lambda v: f"'{v}' is too large (not a finite number)")
    present = values.notna().to_numpy()
    if whole:
        check(
            present & (values != values.round()).to_numpy(),
            lambda v: f"'{v}' is not a whole number",
        )
    if minimum is not None:
        check(present & (values < minimum).to_numpy(), lambda v: f"{v} is below {minimum:g}")
    if maximum is not None:
        check(present & (values > maximum).to_numpy(), lambda v: f"{v} is above {maximum:g}")
    if negative_missing:
        values = values.where(values >= 0)
    return values


def year_column(
    raw: pd.DataFrame, column: str, path: Path, *, field: str | None = None, missing: bool = False
) -> pd.Series:
    """A column of years: whole numbers within :func:`~powerbalance.datasets.cards.year_range`."""
    first, last = year_range()
    values = number_column(raw, column, path, field=field, whole=True, missing=missing)
    refuse_rows(
        raw,
        raw[column],
        values.notna() & ((values < first) | (values > last)),
        path,
        field or column,
        lambda v: f"{v} is not a year from {first} to {last}",
    )
    return values


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
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    if target.exists():
        try:
            frame = pd.read_parquet(target)
            frame.attrs.update(_attrs_from_parquet(target))
            return frame
        except (OSError, ValueError, pa.ArrowException):  # a damaged cache file is rebuilt
            target.unlink(missing_ok=True)
    frame = build()
    try:
        root.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"powerbalance_attrs"] = json.dumps(frame.attrs, default=str).encode()
        table = table.replace_schema_metadata(meta)
        tmp = target.with_suffix(".tmp")
        pq.write_table(table, tmp)
        tmp.replace(target)
    except (OSError, ValueError, TypeError, pa.ArrowException):
        pass  # caching is an optimisation: never fail a read because of it
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
