"""Read evidence records from YAML, JSON or CSV files, naming the place of any error.

Accepted layouts (the same schema as the bundled corpus, see docs/evidence.md):

- YAML or JSON: a list of records, each with a ``type`` (actor, source, claim,
  event, stance); or a mapping from plural type names (``claims:``,
  ``events:``, ...) to lists of records without ``type``.
- CSV: one record a row with a ``type`` column; nested fields are written with
  dots (``period.start``) and lists are separated by ``;`` (``actors``).

Errors name the file, the record (line for YAML and CSV, index for JSON) and the
field, in plain words (:func:`powerbalance.evidence.models.explain_error`).
Binary files, text that is not UTF-8 and files holding no records are refused
as such; files larger than the limit ``evidence.file.bytes`` are not read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from powerbalance.errors import EvidenceFileError
from powerbalance.evidence.models import RECORD_TYPES, Record, explain, show_value
from powerbalance.limits import LIMITS

PLURALS = {f"{name}s": name for name in RECORD_TYPES}
TOO_LONG_NUMBER = "a number is too long to read (more than 4,300 digits); check the value"
LIST_FIELDS = {"actors", "aliases", "members"}

# The first bytes of file formats people export by mistake instead of YAML or CSV.
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (an .xlsx or .docx is one: export the sheet as CSV)",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document (export the sheet as CSV)",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "a program",
    b"PAR1": "a Parquet file",
}


@dataclass(frozen=True)
class RawRecord:
    """One record's data as read, with where it stands in its file."""

    data: dict[str, Any]
    type: str | None
    where: str  # "line 12" or "record 3"
    field_lines: dict[str, int] | None = None  # YAML: the line of each field ("period.start")


@dataclass(frozen=True)
class Place:
    """Where a record stands in its file: ``line 12`` or ``record 3``, and its fields' lines."""

    where: str
    field_lines: Mapping[str, int] = field(default_factory=dict)

    def of(self, path: str | None) -> str:
        """The line of a (dotted) field, else of its closest enclosing field, else the record's."""
        if path:
            parts = path.split(".")
            for n in range(len(parts), 0, -1):
                line = self.field_lines.get(".".join(parts[:n]))
                if line is not None:
                    return f"line {line}"
        return self.where


class Records(list[Record]):
    """The records of one file, with the place of each: ``positions[i]`` of the i-th record."""

    def __init__(self) -> None:
        super().__init__()
        self.positions: list[Place] = []

    def add(self, record: Record, place: Place) -> None:
        self.append(record)
        self.positions.append(place)

    @property
    def places(self) -> dict[str, Place]:
        """The place of each id (its first record, when an id is repeated)."""
        out: dict[str, Place] = {}
        for record, place in zip(self, self.positions, strict=False):
            out.setdefault(record.id, place)
        return out


def _id_suffix(record_id: Any) -> str:
    return f" (id {show_value(record_id)})" if isinstance(record_id, str) and record_id else ""


def read_records(
    path: str | Path,
    *,
    label: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Records:
    """Read and validate every record of an evidence file.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml``, ``.json`` or ``.csv`` file.
    label
        The name used for the file in error messages (defaults to the path).
    progress
        Called with (records checked, records in the file) as validation goes.

    Raises
    ------
    EvidenceFileError
        On the first malformed record, naming file, record and field; also for a
        file that is binary, not UTF-8 or holds no records.
    LimitExceeded
        For a file larger than the limit ``evidence.file.bytes``.
    """
    path = Path(path)
    name = label or str(path)
    suffix = path.suffix.lower()
    readers = {".yaml": _raw_from_yaml, ".yml": _raw_from_yaml, ".json": _raw_from_json}
    readers[".csv"] = _raw_from_csv
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise EvidenceFileError(name, "no such file", hint="check the path") from None
    except OSError as exc:
        raise EvidenceFileError(name, f"cannot be read: {exc.strerror or exc}") from None
    if path.is_dir():
        raise EvidenceFileError(name, "is a folder, not a file", hint="give one evidence file")
    if suffix not in readers:
        raise EvidenceFileError(
            name,
            f"unknown file type '{suffix}'" if suffix else "the file name has no extension",
            hint="use .yaml, .json or .csv",
        )
    LIMITS["evidence.file.bytes"].check(size, option=name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EvidenceFileError(name, f"cannot be read: {exc.strerror or exc}") from None
    text = decode_text(data, name)
    raw = readers[suffix](text, name)
    if not raw:
        raise EvidenceFileError(
            name,
            "the file holds no records",
            hint="see docs/evidence.md for the layout of an evidence file",
        )
    return _validate_all(raw, name, progress)


def decode_text(data: bytes, file: str) -> str:
    """The text of a file's bytes (UTF-8, with or without a BOM), or an error naming the line."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise EvidenceFileError(
                file,
                f"this is {what}, not a text file",
                record="line 1",
                hint="give a YAML, JSON or CSV file of records",
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EvidenceFileError(
            file, "the text is UTF-16, not UTF-8", record="line 1", hint="save the file as UTF-8"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise EvidenceFileError(
            file,
            f"byte 0x{data[exc.start]:02X} at column {column} is not UTF-8 text"
            " (is this a binary file, or text saved as Latin-1 or Windows-1252?)",
            record=f"line {line}",
            hint="save the file as UTF-8",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise EvidenceFileError(
            file,
            "the file holds a NUL character: it is binary, not text",
            record=f"line {text.count(chr(10), 0, nul) + 1}",
            hint="give a YAML, JSON or CSV file of records",
        )
    return text


def read_records_from_text(
    text: str, fmt: str, *, label: str, default_type: str | None = None
) -> Records:
    """Like :func:`read_records` for text in memory (``fmt``: yaml, json or csv).

    ``default_type`` is the record type of records that do not say theirs (the
    bundled corpus keeps one type per file).
    """
    readers = {"yaml": _raw_from_yaml, "json": _raw_from_json, "csv": _raw_from_csv}
    if fmt not in readers:
        raise EvidenceFileError(label, f"unknown format '{fmt}'", hint="use yaml, json or csv")
    raw = readers[fmt](text, label)
    if default_type is not None:
        raw = [RawRecord(r.data, r.type or default_type, r.where, r.field_lines) for r in raw]
    return _validate_all(raw, label)


def _validate_all(
    raw: list[RawRecord], file: str, progress: Callable[[int, int], None] | None = None
) -> Records:
    records = Records()
    for n, r in enumerate(raw, 1):
        records.add(validate_record(r, file), Place(r.where, r.field_lines or {}))
        if progress is not None and (n % 500 == 0 or n == len(raw)):
            progress(n, len(raw))
    return records


def validate_record(raw: RawRecord, file: str) -> Record:
    """Build the typed record from raw data, or raise an error naming the field."""
    data = dict(raw.data)
    rtype = raw.type or data.pop("type", None)
    data.pop("type", None)
    suffix = _id_suffix(data.get("id"))
    place = Place(raw.where, raw.field_lines or {})
    if rtype not in RECORD_TYPES:
        problem = (
            "the record has no type"
            if rtype is None
            else f"record type {show_value(rtype)} is unknown"
        )
        raise EvidenceFileError(
            file,
            f"{problem}; a type is one of {', '.join(RECORD_TYPES)}",
            record=place.of("type") + suffix,
            field="type",
        )
    try:
        return RECORD_TYPES[rtype].model_validate(data)
    except ValidationError as exc:
        problems = explain(exc, rtype)
        first = problems[0]
        msg = first.message
        more = len(problems) - 1
        if more:
            msg += f" (and {more} more problem{'s' if more > 1 else ''} in this record)"
        raise EvidenceFileError(
            file, msg, record=place.of(first.field) + suffix, field=first.field
        ) from None


# --- YAML ---------------------------------------------------------------------------------

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, keeping an impossible date (2025-02-30) as text for validation."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _yaml_error(exc: yaml.YAMLError, file: str, text: str = "") -> EvidenceFileError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = f"line {mark.line + 1}" if mark is not None else None
    if isinstance(exc, yaml.reader.ReaderError):
        line = f"line {text.count(chr(10), 0, exc.position) + 1}" if text else None
        problem = f"character #x{exc.character:04x} is not allowed in YAML text"
    else:
        problem = str(getattr(exc, "problem", None) or exc).splitlines()[0]
    return EvidenceFileError(file, f"not valid YAML: {problem}", record=line)


def _raw_from_yaml(text: str, file: str) -> list[RawRecord]:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, file, text) from None
        except RecursionError:
            raise EvidenceFileError(
                file, "not valid YAML: the values are nested too deeply"
            ) from None
        if node is None:
            return []
        _check_size(node, file)
        if isinstance(node, yaml.SequenceNode):
            return [_yaml_record(loader, n, None, file) for n in node.value]
        if isinstance(node, yaml.MappingNode):
            out: list[RawRecord] = []
            for key_node, value_node in node.value:
                where = f"line {key_node.start_mark.line + 1}"
                key = _construct(loader, key_node, file)
                rtype = _plural(key, file, where)
                if not isinstance(value_node, yaml.SequenceNode):
                    raise EvidenceFileError(
                        file,
                        f"'{key}' must hold a list of records (each starting with '- ')",
                        record=where,
                    )
                out.extend(_yaml_record(loader, n, rtype, file) for n in value_node.value)
            return out
        raise EvidenceFileError(
            file,
            f"expected a list of records or a mapping of record lists, got "
            f"{show_value(_construct(loader, node, file))}",
            record=f"line {node.start_mark.line + 1}",
        )
    finally:
        loader.dispose()


def _yaml_record(loader: Any, node: yaml.Node, rtype: str | None, file: str) -> RawRecord:
    where = f"line {node.start_mark.line + 1}"
    lines = _field_lines(node, file)  # before constructing: that flattens merge keys (<<)
    data = _construct(loader, node, file)
    return RawRecord(_mapping(data, file, where), rtype, where, lines)


def _construct(loader: Any, node: yaml.Node, file: str) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    except (ValueError, OverflowError):  # e.g. an integer of 5,000 digits
        line = _unreadable_line(loader, node)
        raise EvidenceFileError(file, TOO_LONG_NUMBER, record=f"line {line}") from None


def _unreadable_line(loader: Any, node: yaml.Node) -> int:
    """The line of the first value under ``node`` that cannot be constructed."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.ScalarNode):
            try:
                loader.construct_object(n)
            except (ValueError, OverflowError, yaml.YAMLError):
                return n.start_mark.line + 1
        stack.extend(reversed(_children(n)))
    return node.start_mark.line + 1


def _check_size(root: yaml.Node, file: str) -> None:
    """Refuse aliases that refer to themselves or expand beyond the limit (``a: &x [*x]``)."""
    limit = LIMITS["evidence.yaml.values"]
    sizes: dict[int, int] = {}
    busy: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            busy.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > limit.maximum:
                where = f"the YAML at {file}, line {node.start_mark.line + 1}, with its aliases,"
                limit.check(sizes[key], option=where)
            continue
        if key in sizes:
            continue
        if key in busy:
            raise EvidenceFileError(
                file,
                "a YAML alias refers to the value that contains it",
                record=f"line {node.start_mark.line + 1}",
            )
        busy.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _field_lines(node: yaml.Node, file: str, prefix: str = "") -> dict[str, int]:
    """The line of each field of a record, nested fields dotted (``period.start``, ``actors.1``).

    A field given twice in one mapping is refused: YAML would silently keep the last.
    """
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            path = prefix + key_node.value
            line = key_node.start_mark.line + 1
            if path in out:
                raise EvidenceFileError(
                    file,
                    f"the field is given twice (lines {out[path]} and {line})",
                    record=f"line {line}",
                    field=path,
                    hint="keep one of them",
                )
            out[path] = line
            out.update(_field_lines(value_node, file, path + "."))
    elif isinstance(node, yaml.SequenceNode) and prefix:
        for i, item in enumerate(node.value):
            out[f"{prefix}{i}"] = item.start_mark.line + 1
            out.update(_field_lines(item, file, f"{prefix}{i}."))
    return out


# --- JSON ---------------------------------------------------------------------------------


def _raw_from_json(text: str, file: str) -> list[RawRecord]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvidenceFileError(
            file, f"not valid JSON: {exc.msg}", record=f"line {exc.lineno}"
        ) from None
    except RecursionError:
        raise EvidenceFileError(file, "not valid JSON: the values are nested too deeply") from None
    except ValueError:  # e.g. an integer of 5,000 digits
        raise EvidenceFileError(file, TOO_LONG_NUMBER) from None
    if isinstance(data, list):
        return [
            RawRecord(_mapping(item, file, f"record {i}"), None, f"record {i}")
            for i, item in enumerate(data)
        ]
    if isinstance(data, dict):
        out: list[RawRecord] = []
        for key, items in data.items():
            rtype = _plural(key, file, f"key '{key}'")
            if not isinstance(items, list):
                raise EvidenceFileError(
                    file, f"'{key}' must hold a list of records", record=f"key '{key}'"
                )
            for i, item in enumerate(items):
                where = f"{key}[{i}]"
                out.append(RawRecord(_mapping(item, file, where), rtype, where))
        return out
    raise EvidenceFileError(
        file,
        f"expected a list of records or a mapping of record lists, got {show_value(data)}",
        record="record 0",
    )


# --- CSV ----------------------------------------------------------------------------------


def _raw_from_csv(text: str, file: str) -> list[RawRecord]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames
        if header is None:
            return []
        _check_header(list(header), file)
        out: list[RawRecord] = []
        for row in reader:
            out.append(_csv_row(row, file, f"line {reader.line_num}"))
        return out
    except csv.Error as exc:
        raise EvidenceFileError(
            file, f"not valid CSV: {exc}", record=f"line {reader.line_num}"
        ) from None


def _check_header(header: list[str], file: str) -> None:
    if "type" not in header:
        raise EvidenceFileError(
            file,
            "the header has no 'type' column",
            record="line 1",
            field="type",
            hint="add a column 'type' with actor, source, claim, event or stance",
        )
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise EvidenceFileError(
                file,
                f"the header names the column '{column}' twice",
                record="line 1",
                field=column,
                hint="keep one of them",
            )
        seen.add(column)
    for column in header:
        parts = column.split(".")
        for n in range(1, len(parts)):
            parent = ".".join(parts[:n])
            if parent in seen:
                raise EvidenceFileError(
                    file,
                    f"the columns '{parent}' and '{column}' both give {parent}",
                    record="line 1",
                    field=parent,
                    hint=f"keep either '{parent}' or the '{parent}.…' columns",
                )
        if any(p == "" for p in parts) and column != "":
            raise EvidenceFileError(
                file,
                f"the column name '{column}' has an empty part",
                record="line 1",
                field=column,
                hint="write nested fields as period.start",
            )


def _csv_row(row: dict[str | None, Any], file: str, where: str) -> RawRecord:
    if None in row:
        raise EvidenceFileError(file, "the row has more cells than the header", record=where)
    data: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or value == "":
            continue
        assert key is not None
        if key == "":
            raise EvidenceFileError(
                file,
                f"the value {show_value(value)} stands in a column without a name",
                record=where,
                hint="name the column in the header, or remove the value",
            )
        target = data
        parts = key.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        name = parts[-1]
        target[name] = (
            [v.strip() for v in value.split(";") if v.strip()] if name in LIST_FIELDS else value
        )
    return RawRecord(data, None, where)


# --- shared -------------------------------------------------------------------------------


def _mapping(item: Any, file: str, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise EvidenceFileError(
            file,
            f"a record must be a mapping of fields (field: value), got {show_value(item)}",
            record=where,
        )
    return item


def _plural(key: Any, file: str, where: str) -> str:
    if not isinstance(key, str) or key not in PLURALS:
        raise EvidenceFileError(
            file,
            f"unknown section {show_value(key)}",
            record=where,
            hint=f"use one of {', '.join(sorted(PLURALS))}",
        )
    return PLURALS[key]


def check_references(
    records: Iterable[Record],
    *,
    actors: set[str],
    sources: set[str],
    file: str,
    places: Mapping[str, Place] | None = None,
) -> None:
    """Check that every actor and source the records name exists.

    ``actors`` and ``sources`` are the ids already known (in the store); the
    records' own actors and sources count too. ``places`` (from
    :class:`Records`) lets the message name the line of the field. Raises
    :class:`~powerbalance.errors.UnknownActor` (with close matches) or
    :class:`~powerbalance.errors.UnknownRecord`.
    """
    from powerbalance.errors import UnknownActor, UnknownRecord
    from powerbalance.evidence.models import Actor, Claim, Event, Source, Stance

    places = places or {}
    records = list(records)
    actor_ids = actors | {r.id for r in records if isinstance(r, Actor)}
    source_ids = sources | {r.id for r in records if isinstance(r, Source)}

    def context(r: Record, field: str) -> str:
        place = places.get(r.id)
        where = f"{place.of(field)} (id '{r.id}')" if place else f"id '{r.id}'"
        return f"{file}, {where}, field '{field}'"

    for r in records:
        names: list[tuple[str, str]] = []
        if isinstance(r, Claim):
            names = [("actor", r.actor)] + ([("partner", r.partner)] if r.partner else [])
            if r.authority:
                names.append(("authority", r.authority))
        elif isinstance(r, Event):
            names = [(f"actors.{i}", a) for i, a in enumerate(r.actors)]
        elif isinstance(r, Stance):
            names = [("actor", r.actor)] + (
                [("target", r.target)] if r.target_kind == "actor" else []
            )
        elif isinstance(r, Actor):
            names = ([("country", r.country)] if r.country else []) + [
                (f"members.{i}", m) for i, m in enumerate(r.members)
            ]
        for field_name, value in names:
            if value not in actor_ids:
                raise UnknownActor(value, actor_ids, context=context(r, field_name))
        if isinstance(r, (Claim, Event, Stance)) and r.source not in source_ids:
            raise UnknownRecord(r.source, source_ids, context=context(r, "source"))
        if isinstance(r, Source) and r.translation_of and r.translation_of not in source_ids:
            raise UnknownRecord(r.translation_of, source_ids, context=context(r, "translation_of"))
