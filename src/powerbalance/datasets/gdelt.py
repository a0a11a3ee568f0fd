"""GDELT event exports: the file formats, their detection, and the CAMEO lookup tables.

GDELT publishes two event formats, both tab-separated text without a header row:

* **GDELT 1.0** daily exports: 57 columns (files before April 2013) or 58 with
  ``SOURCEURL``; each geography block has 7 fields.
* **GDELT 2.0** 15-minute exports: 61 columns; each geography block has an
  extra ``ADM2Code`` field.

The first 35 columns (event id, dates, the two actors, the CAMEO event codes,
QuadClass, Goldstein score, mention counts and tone) sit at the same positions
in both formats, which is what the aggregation engines read. Real files carry
stray double quotes inside fields (actor names, URLs), so the format is read
with quoting switched off: a tab is always a separator and a newline always
ends a record.

The CAMEO event codes with their QuadClass and Goldstein (1992) weights are the
project's own table (``cameo/event_codes.csv``), built from the public CAMEO
codebook.
"""

from __future__ import annotations

import csv
import glob
import io
import math
import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from powerbalance.errors import DatasetFormatError, InputFileError, UserError

#: The folder of this module, where its package data lie.
_HERE = Path(__file__).parent

__all__ = [
    "CITATION",
    "QUAD_CLASSES",
    "V1_COLUMNS",
    "V2_COLUMNS",
    "CameoCode",
    "GdeltFile",
    "GdeltInputs",
    "NoEventFiles",
    "RejectedRow",
    "cameo_event_codes",
    "check_row",
    "detect_version",
    "find_rejects",
    "goldstein",
    "quad_class",
    "resolve_inputs",
]

CITATION = (
    "Leetaru, K. and Schrodt, P. A. (2013). GDELT: Global Data on Events, Location and Tone, "
    "1979-2012. ISA Annual Convention. https://www.gdeltproject.org/; "
    "Schrodt, P. A. (2012). CAMEO Conflict and Mediation Event Observations Codebook 1.1b3; "
    "Goldstein, J. S. (1992). A Conflict-Cooperation Scale for WEIS Events Data. "
    "Journal of Conflict Resolution 36(2):369-385. doi:10.1177/0022002792036002007"
)

_ACTOR = [
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
]
_EVENT = [
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
]
_GEO_V1 = ["Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"]
_GEO_V2 = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
_HEAD = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]


def _columns(geo: list[str]) -> tuple[str, ...]:
    cols = list(_HEAD)
    cols += [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
    cols += _EVENT
    for block in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        cols += [f"{block}_{c}" for c in geo]
    return (*cols, "DATEADDED", "SOURCEURL")


#: The 58 columns of a GDELT 1.0 daily export (rows before April 2013 lack SOURCEURL).
V1_COLUMNS: tuple[str, ...] = _columns(_GEO_V1)
#: The 61 columns of a GDELT 2.0 15-minute export.
V2_COLUMNS: tuple[str, ...] = _columns(_GEO_V2)

#: Field counts a well-formed row may have, per format version.
FIELD_COUNTS: dict[int, tuple[int, ...]] = {1: (57, 58), 2: (61,)}

#: The fields the engines read, with their SQL type. A row whose value in one of
#: these fields is not a valid value of its type (:func:`value_ok`), or, for the
#: text fields, is not UTF-8, is malformed (and counted as rejected).
PARSED_FIELDS: dict[str, str] = {
    "GLOBALEVENTID": "BIGINT",
    "SQLDATE": "DATE",
    "Actor1CountryCode": "VARCHAR",
    "Actor2CountryCode": "VARCHAR",
    "IsRootEvent": "INTEGER",
    "EventCode": "VARCHAR",
    "QuadClass": "INTEGER",
    "GoldsteinScale": "DOUBLE",
    "NumMentions": "INTEGER",
    "AvgTone": "DOUBLE",
    "DATEADDED": "BIGINT",
}

#: CAMEO's four QuadClass categories as GDELT codes them.
QUAD_CLASSES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".export")
Version = Literal[1, 2]


class NoEventFiles(UserError):
    """The paths given name no GDELT event files."""


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code with its place in the hierarchy and its weights."""

    code: str
    level: str
    root: str
    quad_class: int
    goldstein: float
    label: str


@cache
def cameo_event_codes() -> dict[str, CameoCode]:
    """Return the CAMEO event codes (root, base and detail levels) keyed by code.

    Returns
    -------
    dict of str to CameoCode
        310 codes; ``goldstein`` is the Goldstein (1992) weight GDELT assigns,
        ``quad_class`` the QuadClass GDELT derives from the root code.

    Examples
    --------
    >>> codes = cameo_event_codes()
    >>> codes["190"].label, codes["190"].goldstein, codes["190"].quad_class
    ('Use conventional military force, not specified below', -10.0, 4)
    >>> codes["0211"].root
    '02'
    """
    text = _HERE.joinpath("cameo/event_codes.csv").read_text()
    out: dict[str, CameoCode] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[row["code"]] = CameoCode(
            code=row["code"],
            level=row["level"],
            root=row["root"],
            quad_class=int(row["quad_class"]),
            goldstein=float(row["goldstein"]),
            label=row["label"],
        )
    return out


def goldstein(code: str) -> float:
    """Goldstein (1992) weight of a CAMEO event code, in [-10, +10].

    Examples
    --------
    >>> goldstein("036"), goldstein("173")
    (4.0, -5.0)
    """
    try:
        return cameo_event_codes()[code].goldstein
    except KeyError:
        raise UserError(
            f"unknown CAMEO event code '{code}'; codes are 2-4 digits, e.g. '042'"
        ) from None


def quad_class(code: str) -> int:
    """QuadClass (1-4) of a CAMEO event code, from its two-digit root.

    GDELT assigns roots 01-05 to verbal cooperation, 06-09 to material
    cooperation, 10-14 to verbal conflict and 15-20 to material conflict.

    Examples
    --------
    >>> [quad_class(c) for c in ("043", "0874", "141", "190")]
    [1, 2, 3, 4]
    """
    root = int(code[:2])
    if not 1 <= root <= 20:
        raise UserError(f"'{code}' is not a CAMEO event code (roots run 01-20)")
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


@dataclass(frozen=True)
class GdeltFile:
    """One input file: where it is, its format version and how it is packed."""

    path: Path
    version: int
    fields: int
    member: str | None = None

    @property
    def label(self) -> str:
        """How messages name the file (``archive.zip!member`` for zipped exports)."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)


@dataclass(frozen=True)
class RejectedRow:
    """A malformed row: where it is and what is wrong with it."""

    file: str
    line: int | None
    problem: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.problem}"
            if self.line
            else f"{self.file}: {self.problem}"
        )


def _first_line(stream: Iterable[bytes], label: str) -> bytes:
    for raw in stream:
        line = line_body(raw)
        if line:
            return line
    raise DatasetFormatError(label, "the file is empty", hint="expected a GDELT event export")


def version_of_fields(n: int, label: str, line: int = 1) -> int:
    """Map a row's field count to a GDELT version, or fail naming the file and line."""
    for version, counts in FIELD_COUNTS.items():
        if n in counts:
            return version
    raise DatasetFormatError(
        label,
        f"{n} tab-separated fields, which is neither GDELT 1.0 (57 or 58) nor GDELT 2.0 (61)",
        record=f"line {line}",
        hint="pass GDELT event exports (*.export.CSV), not mentions or GKG files",
    )


def detect_version(path: str | Path) -> list[GdeltFile]:
    """Detect the GDELT version of a plain or zipped export from its first row.

    Parameters
    ----------
    path
        A ``.CSV``/``.tsv`` export or a ``.zip`` holding exports.

    Returns
    -------
    list of GdeltFile
        One entry for a plain file, one per member for a zip archive.

    Raises
    ------
    DatasetFormatError
        When the first row has a field count of neither version.
    """
    p = Path(path)
    if not p.is_file():
        raise InputFileError(str(p), "no such file", hint="check the path or the glob")
    if zipfile.is_zipfile(p):
        out = []
        with zipfile.ZipFile(p) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                label = f"{p}!{info.filename}"
                with zf.open(info) as fh:
                    n = _first_line(fh, label).count(b"\t") + 1
                out.append(GdeltFile(p, version_of_fields(n, label), n, info.filename))
        if not out:
            raise DatasetFormatError(str(p), "the zip archive holds no files")
        return out
    with p.open("rb") as fh:
        n = _first_line(fh, str(p)).count(b"\t") + 1
    return [GdeltFile(p, version_of_fields(n, str(p)), n)]


@dataclass
class GdeltInputs:
    """Resolved inputs: text exports by version and Parquet caches written by ``events ingest``."""

    text: list[GdeltFile]
    parquet: list[Path]

    @property
    def files(self) -> int:
        """Text exports plus Parquet inputs, an ``events ingest`` cache folder counting once."""
        units = set()
        for p in self.parquet:
            folder = next(
                (d for d in (p.parent, p.parent.parent) if (d / "ingest.json").is_file()), None
            )
            units.add(folder or p)
        return len(self.text) + len(units)

    def by_version(self, version: int) -> list[GdeltFile]:
        return [f for f in self.text if f.version == version]


def _expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        s = str(raw)
        if any(ch in s for ch in "*?["):
            matches = sorted(glob.glob(s, recursive=True))
            if not matches:
                raise NoEventFiles(f"the pattern '{s}' matches no file; check the glob")
            for m in matches:
                yield from _expand([m])
            continue
        p = Path(s)
        if p.is_dir():
            found = sorted(
                q
                for q in p.rglob("*")
                if q.is_file()
                and (q.suffix.lower() in (*TEXT_SUFFIXES, ".zip", ".parquet"))
                and not q.name.startswith(".")
            )
            if not found:
                raise NoEventFiles(f"the folder '{p}' holds no .CSV, .zip or .parquet files")
            yield from found
        elif p.exists():
            yield p
        else:
            raise InputFileError(s, "no such file or folder", hint="check the path")


def resolve_inputs(paths: Sequence[str | Path]) -> GdeltInputs:
    """Expand files, folders and globs into GDELT exports (version detected per file).

    Parameters
    ----------
    paths
        Files (plain or zipped exports, Parquet caches), folders (searched
        recursively) or glob patterns.

    Raises
    ------
    NoEventFiles
        When nothing matches.
    DatasetFormatError
        When a file is not a GDELT 1.0 or 2.0 event export.
    """
    if not paths:
        raise NoEventFiles("give at least one GDELT export, folder or glob")
    text: list[GdeltFile] = []
    parquet: list[Path] = []
    seen: set[Path] = set()
    for p in _expand(paths):
        rp = p.resolve()
        if rp in seen:
            continue
        seen.add(rp)
        if p.suffix.lower() == ".parquet":
            parquet.append(p)
        else:
            text.extend(detect_version(p))
    if not text and not parquet:
        raise NoEventFiles("the paths given hold no GDELT event files")
    return GdeltInputs(text, parquet)


@contextmanager
def plain_files(
    files: Sequence[GdeltFile], workdir: Path
) -> Iterator[list[tuple[GdeltFile, Path]]]:
    """Yield each input with a plain-text path, extracting zip members into ``workdir``.

    Extraction streams (no member is held in memory); the extracted copies are
    removed on exit.
    """
    out: list[tuple[GdeltFile, Path]] = []
    made: list[Path] = []
    try:
        for i, f in enumerate(files):
            if f.member is None:
                out.append((f, f.path))
                continue
            target = workdir / f"{i:05d}_{Path(f.member).name}"
            with zipfile.ZipFile(f.path) as zf, zf.open(f.member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            made.append(target)
            out.append((f, target))
        yield out
    finally:
        for m in made:
            m.unlink(missing_ok=True)


#: The text a parsed field must hold (the whole field; an empty field is missing, NULL).
#: Integers: an optional minus and ASCII digits (no plus, spaces, point or exponent).
INTEGER_PATTERN = r"-?[0-9]+"
#: Decimals: an optional minus, digits with at most one point, an optional exponent.
DECIMAL_PATTERN = r"-?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?"
#: Dates: exactly eight digits, YYYYMMDD, of a real calendar day from year 1 on.
DATE_PATTERN = r"[0-9]{8}"
#: The range of each integer type.
INTEGER_RANGES = {"INTEGER": (-(2**31), 2**31 - 1), "BIGINT": (-(2**63), 2**63 - 1)}
_PATTERNS = {
    "INTEGER": re.compile(INTEGER_PATTERN),
    "BIGINT": re.compile(INTEGER_PATTERN),
    "DOUBLE": re.compile(DECIMAL_PATTERN),
    "DATE": re.compile(DATE_PATTERN),
}
#: What each type allows, in the words of the reject messages.
ALLOWED = {
    "INTEGER": "a whole number (digits with an optional minus, no point or exponent)",
    "BIGINT": "a whole number (digits with an optional minus, no point or exponent)",
    "DOUBLE": "a finite number (digits, an optional point and exponent; not nan or inf)",
    "DATE": "a date written YYYYMMDD (eight digits) of a real calendar day",
}
#: The problem of a line holding a carriage return that does not end it.
LONE_CR = "a carriage return (CR) inside the line; lines end with LF or CR LF"


def value_ok(value: str, sqltype: str) -> bool:
    """Whether a non-empty field holds a valid value of a parsed field's type.

    Examples
    --------
    >>> [value_ok(v, "INTEGER") for v in ("12", "-3", "1.5", "+2", " 1", "1e3")]
    [True, True, False, False, False, False]
    >>> [value_ok(v, "DOUBLE") for v in ("1.5", "-.5", "4.3e-05", "nan", "inf", "1e400")]
    [True, True, True, False, False, False]
    >>> [value_ok(v, "DATE") for v in ("20191024", "2019102", "20190229", "00000101")]
    [True, False, False, False]
    """
    pattern = _PATTERNS.get(sqltype)
    if pattern is None:
        return True
    if pattern.fullmatch(value) is None:
        return False
    if sqltype in INTEGER_RANGES:
        low, high = INTEGER_RANGES[sqltype]
        return low <= int(value) <= high
    if sqltype == "DOUBLE":
        return math.isfinite(float(value))
    try:
        date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return False
    return True


def check_row(fields: Sequence[str], version: int) -> str | None:
    """Return what is wrong with one row's fields, or None when it is well formed.

    The rule every reader applies (the compiled scanner, DuckDB's reader, Spark
    and ``--strict``): the field count must match the version, every parsed
    field (:data:`PARSED_FIELDS`) that is not empty must hold a valid value of
    its type (:func:`value_ok`), and in 1.0 files ``DATEADDED`` must be present
    (1.0 rows are read padded, so a row too short to reach it would otherwise pass).

    Examples
    --------
    >>> check_row(["1"] * 10, 2)
    '10 fields, expected 61'
    """
    counts = FIELD_COUNTS[version]
    if len(fields) not in counts:
        return f"{len(fields)} fields, expected {' or '.join(map(str, counts))}"
    names = V1_COLUMNS if version == 1 else V2_COLUMNS
    index = {n: i for i, n in enumerate(names)}
    for name, sqltype in PARSED_FIELDS.items():
        value = fields[index[name]]
        if name == "DATEADDED" and not value and version == 1:
            return "DATEADDED is empty"
        if value and not value_ok(value, sqltype):
            return f"field {name} = {value[:40]!r} is not {ALLOWED[sqltype]}"
    return None


def line_body(raw: bytes) -> bytes:
    """A physical line without its ending: the LF, and a CR just before it (CR LF)."""
    if raw.endswith(b"\n"):
        raw = raw[:-1]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
    return raw


def check_line(line: bytes, version: int) -> str | None:
    """What is wrong with one line (its ending removed, :func:`line_body`), or None.

    A line holding a CR (one that is not part of its CR LF ending) is
    malformed, and so is one whose read text fields (:data:`PARSED_FIELDS`)
    are not UTF-8; the other fields (names, URLs) are not examined. Otherwise
    :func:`check_row` judges its fields.
    """
    if b"\r" in line:
        return LONE_CR
    parts = line.split(b"\t")
    if len(parts) in FIELD_COUNTS[version]:
        names = V1_COLUMNS if version == 1 else V2_COLUMNS
        for i, name in enumerate(names[: len(parts)]):
            if PARSED_FIELDS.get(name) == "VARCHAR":
                try:
                    parts[i].decode("utf-8")
                except UnicodeDecodeError:
                    return f"field {name} is not valid UTF-8 text"
    return check_row([p.decode("utf-8", "replace") for p in parts], version)


def find_rejects(
    path: Path, version: int, *, label: str | None = None, limit: int = 5
) -> list[RejectedRow]:
    """Scan one plain file and return up to ``limit`` malformed rows with their line numbers.

    The engines count rejected rows in bulk; this slower pass only runs on files
    known to hold rejects, to name lines a user can open.
    """
    found: list[RejectedRow] = []
    with path.open("rb") as fh:  # (a binary file's lines end at LF only: physical lines)
        for lineno, raw in enumerate(fh, start=1):
            line = line_body(raw)
            if not line:
                continue
            problem = check_line(line, version)
            if problem:
                found.append(RejectedRow(label or str(path), lineno, problem))
                if len(found) >= limit:
                    break
    return found


def mixed_line_endings(path: Path, chunk_bytes: int = 16 << 20) -> bool:
    """Whether a plain file holds a lone CR (one not followed by LF) or mixes CR LF and LF endings.

    DuckDB's CSV reader takes any CR for a line break and stops on a file
    whose lines end differently, so such a file is first rewritten by
    :func:`normalise_lines`. A file whose lines all end with LF, or all with
    CR LF, is read as it is. A file without any CR (the usual case) is
    settled by one search for a CR per chunk, into one reused buffer; only a
    file holding a CR has its CRs, LFs and CR LF pairs counted.
    """
    buf = bytearray(chunk_bytes)
    with path.open("rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            if buf.find(b"\r", 0, n) >= 0:
                break
        else:
            return False
    cr = crlf = lf = 0
    last = b""
    with path.open("rb") as fh:
        while chunk := fh.read(chunk_bytes):
            cr += chunk.count(b"\r")
            lf += chunk.count(b"\n")
            crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            last = chunk[-1:]
    return cr != crlf or crlf not in (0, lf)


def normalise_lines(src: Path, dst: Path) -> list[int]:
    """Copy ``src`` to ``dst`` with LF endings; return the lines holding a lone CR.

    Each physical line (ending at LF) keeps its place: a CR LF ending becomes
    LF, and a line holding any other CR is malformed (:data:`LONE_CR`) and
    written empty, so every other line keeps its line number (readers skip
    empty lines).
    """
    bad: list[int] = []
    with src.open("rb") as fh, dst.open("wb") as out:
        for lineno, raw in enumerate(fh, start=1):
            body = line_body(raw)
            if b"\r" in body:
                bad.append(lineno)
                body = b""
            out.write(body + b"\n")
    return bad
