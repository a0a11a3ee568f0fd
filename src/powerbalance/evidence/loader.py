"""Read evidence records from YAML, JSON or CSV files, naming the place of any error.

Accepted layouts (the same schema as the bundled corpus, see docs/evidence.md):

- YAML or JSON: a list of records, each with a ``type`` (actor, source, claim,
  event, stance); or a mapping from plural type names (``claims:``,
  ``events:``, ...) to lists of records without ``type``.
- CSV: one record a row with a ``type`` column; nested fields are written with
  dots (``period.start``) and lists are separated by ``;`` (``actors``).

Errors name the file, the record (line for YAML and CSV, index for JSON) and the field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from powerbalance.errors import EvidenceFileError
from powerbalance.evidence.models import RECORD_TYPES, Record

PLURALS = {f"{name}s": name for name in RECORD_TYPES}
LIST_FIELDS = {"actors", "aliases", "members"}


@dataclass(frozen=True)
class RawRecord:
    """One record's data as read, with where it stands in its file."""

    data: dict[str, Any]
    type: str | None
    where: str  # "line 12" or "record 3"
    field_lines: dict[str, int] | None = None  # YAML: the line of each top-level field


def read_records(path: str | Path, *, label: str | None = None) -> list[Record]:
    """Read and validate every record of an evidence file.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml``, ``.json`` or ``.csv`` file.
    label
        The name used for the file in error messages (defaults to the path).

    Raises
    ------
    EvidenceFileError
        On the first malformed record, naming file, record and field.
    """
    path = Path(path)
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise EvidenceFileError(name, "no such file", hint="check the path") from None
    except UnicodeDecodeError as exc:
        raise EvidenceFileError(
            name,
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            hint="save the file as UTF-8",
        ) from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        raw = _raw_from_yaml(text, name)
    elif suffix == ".json":
        raw = _raw_from_json(text, name)
    elif suffix == ".csv":
        raw = _raw_from_csv(text, name)
    else:
        raise EvidenceFileError(
            name, f"unknown file type '{suffix}'", hint="use .yaml, .json or .csv"
        )
    return [validate_record(r, name) for r in raw]


def read_records_from_text(
    text: str, fmt: str, *, label: str, default_type: str | None = None
) -> list[Record]:
    """Like :func:`read_records` for text in memory (``fmt``: yaml, json or csv).

    ``default_type`` is the record type of records that do not say theirs (the
    bundled corpus keeps one type per file).
    """
    readers = {"yaml": _raw_from_yaml, "json": _raw_from_json, "csv": _raw_from_csv}
    if fmt not in readers:
        raise EvidenceFileError(label, f"unknown format '{fmt}'", hint="use yaml, json or csv")
    raw = readers[fmt](text, label)
    if default_type is not None:
        raw = [RawRecord(r.data, r.type or default_type, r.where) for r in raw]
    return [validate_record(r, label) for r in raw]


def validate_record(raw: RawRecord, file: str) -> Record:
    """Build the typed record from raw data, or raise an error naming the field."""
    data = dict(raw.data)
    rtype = raw.type or data.pop("type", None)
    data.pop("type", None)
    record_id = data.get("id")
    suffix = f" (id '{record_id}')" if record_id else ""
    where = raw.where + suffix
    if rtype not in RECORD_TYPES:
        raise EvidenceFileError(
            file,
            f"record type {rtype!r} is not one of {sorted(RECORD_TYPES)}",
            record=where,
            field="type",
        )
    model = RECORD_TYPES[rtype]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or None
        if raw.field_lines and err["loc"] and err["loc"][0] in raw.field_lines:
            where = f"line {raw.field_lines[str(err['loc'][0])]}" + suffix
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown field for a {rtype}"
        elif err["type"] == "missing":
            msg = f"required field of a {rtype} is missing"
        more = len(exc.errors()) - 1
        if more:
            msg += f" (and {more} more problem{'s' if more > 1 else ''} in this record)"
        raise EvidenceFileError(file, msg, record=where, field=loc) from None


def _raw_from_yaml(text: str, file: str) -> list[RawRecord]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark else None
        raise EvidenceFileError(
            file, f"not valid YAML: {getattr(exc, 'problem', exc)}", record=line
        ) from None
    if data is None:
        return []
    if isinstance(data, list):
        assert isinstance(node, yaml.SequenceNode)
        return [
            RawRecord(
                _mapping(item, file, f"line {n.start_mark.line + 1}"),
                None,
                f"line {n.start_mark.line + 1}",
            )
            for item, n in zip(data, node.value, strict=True)
        ]
    if isinstance(data, dict):
        assert isinstance(node, yaml.MappingNode)
        out: list[RawRecord] = []
        for (key_node, value_node), (key, items) in zip(node.value, data.items(), strict=True):
            rtype = _plural(key, file, f"line {key_node.start_mark.line + 1}")
            if not isinstance(items, list):
                raise EvidenceFileError(
                    file,
                    f"'{key}' must hold a list of records",
                    record=f"line {key_node.start_mark.line + 1}",
                )
            for item, n in zip(items, value_node.value, strict=True):
                where = f"line {n.start_mark.line + 1}"
                out.append(RawRecord(_mapping(item, file, where), rtype, where, _field_lines(n)))
        return out
    raise EvidenceFileError(
        file, "expected a list of records or a mapping of record lists", record="line 1"
    )


def _field_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _raw_from_json(text: str, file: str) -> list[RawRecord]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvidenceFileError(
            file, f"not valid JSON: {exc.msg}", record=f"line {exc.lineno}"
        ) from None
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
        file, "expected a list of records or a mapping of record lists", record="record 0"
    )


def _raw_from_csv(text: str, file: str) -> list[RawRecord]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        return []
    if "type" not in reader.fieldnames:
        raise EvidenceFileError(
            file,
            "the header has no 'type' column",
            record="line 1",
            field="type",
            hint="add a column 'type' with actor, source, claim, event or stance",
        )
    out: list[RawRecord] = []
    for row in reader:
        where = f"line {reader.line_num}"
        if None in row:
            raise EvidenceFileError(file, "the row has more cells than the header", record=where)
        data: dict[str, Any] = {}
        for key, value in row.items():
            if value is None or value == "":
                continue
            target = data
            parts = key.split(".")
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            field = parts[-1]
            target[field] = (
                [v.strip() for v in value.split(";") if v.strip()]
                if field in LIST_FIELDS
                else value
            )
        out.append(RawRecord(data, None, where))
    return out


def _mapping(item: Any, file: str, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise EvidenceFileError(
            file, f"a record must be a mapping, got {type(item).__name__}", record=where
        )
    return item


def _plural(key: str, file: str, where: str) -> str:
    if key not in PLURALS:
        raise EvidenceFileError(
            file,
            f"unknown section '{key}'",
            record=where,
            hint=f"use one of {', '.join(sorted(PLURALS))}",
        )
    return PLURALS[key]


def check_references(
    records: Iterable[Record], *, actors: set[str], sources: set[str], file: str
) -> None:
    """Check that every actor and source the records name exists.

    ``actors`` and ``sources`` are the ids already known (in the store); the
    records' own actors and sources count too. Raises
    :class:`~powerbalance.errors.UnknownActor` (with close matches) or
    :class:`~powerbalance.errors.UnknownRecord`.
    """
    from powerbalance.errors import UnknownActor, UnknownRecord
    from powerbalance.evidence.models import Actor, Claim, Event, Source, Stance

    records = list(records)
    actor_ids = actors | {r.id for r in records if isinstance(r, Actor)}
    source_ids = sources | {r.id for r in records if isinstance(r, Source)}
    for r in records:
        names: list[tuple[str, str]] = []
        if isinstance(r, Claim):
            names = [("actor", r.actor)] + ([("partner", r.partner)] if r.partner else [])
            if r.authority:
                names.append(("authority", r.authority))
        elif isinstance(r, Event):
            names = [("actors", a) for a in r.actors]
        elif isinstance(r, Stance):
            names = [("actor", r.actor)] + (
                [("target", r.target)] if r.target_kind == "actor" else []
            )
        elif isinstance(r, Actor):
            names = ([("country", r.country)] if r.country else []) + [
                ("members", m) for m in r.members
            ]
        for field, value in names:
            if value not in actor_ids:
                raise UnknownActor(
                    value, actor_ids, context=f"{file}, id '{r.id}', field '{field}'"
                )
        if isinstance(r, (Claim, Event, Stance)) and r.source not in source_ids:
            raise UnknownRecord(
                r.source, source_ids, context=f"{file}, id '{r.id}', field 'source'"
            )
        if isinstance(r, Source) and r.translation_of and r.translation_of not in source_ids:
            raise UnknownRecord(
                r.translation_of, source_ids, context=f"{file}, id '{r.id}', field 'translation_of'"
            )
