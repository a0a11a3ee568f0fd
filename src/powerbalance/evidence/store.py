"""The embedded store: one DuckDB file holding evidence, registered datasets and runs.

- Where: ``--store PATH``, else ``$POWERBALANCE_STORE``, else the user data
  directory (platformdirs) as ``powerbalance.duckdb``.
- First use creates the file and fills it from the bundled corpus; when the
  bundled corpus changes (a new version of powerbalance), its records are
  refreshed and the user's own records are kept.
- Every write runs in one transaction: an error or an interruption leaves the
  store as it was.
- DuckDB lets one process at a time open a file for writing. A second one
  waits up to ``$POWERBALANCE_STORE_TIMEOUT`` seconds (default 3) and then
  gets :class:`~powerbalance.errors.StoreBusy`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from powerbalance.errors import EvidenceFileError, StoreBusy, StoreError, UnknownRecord
from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.corpus import corpus_hash, corpus_records
from powerbalance.evidence.loader import Place, check_references, read_records
from powerbalance.evidence.models import (
    RECORD_TYPES,
    STORED,
    Actor,
    Claim,
    Event,
    Record,
    Source,
    Stance,
)

SCHEMA_VERSION = 1

# Every table of the store. Later layers add theirs here (storage is the lowest
# layer; the code that fills a table lives in its own layer). Bump
# SCHEMA_VERSION when adding a table so existing stores are migrated.
SCHEMA: list[str] = [
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS evidence (
        id VARCHAR PRIMARY KEY,
        type VARCHAR NOT NULL,
        indicator VARCHAR,
        actors VARCHAR[] NOT NULL,
        start_date DATE,
        end_date DATE,
        source VARCHAR,
        origin VARCHAR NOT NULL,
        body VARCHAR NOT NULL,
        added_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    """CREATE TABLE IF NOT EXISTS datasets (
        dataset VARCHAR NOT NULL,
        path VARCHAR NOT NULL,
        sha256 VARCHAR,
        registered_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        info VARCHAR,
        PRIMARY KEY (dataset, path)
    )""",
    """CREATE TABLE IF NOT EXISTS runs (
        id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        name VARCHAR,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        code_version VARCHAR,
        seed BIGINT,
        spec VARCHAR,
        params VARCHAR,
        summary VARCHAR,
        results BLOB
    )""",
]


def user_store_path() -> Path:
    """The user data directory's ``powerbalance.duckdb`` (the one folder created on first use)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("powerbalance", appauthor=False)) / "powerbalance.duckdb"


def default_store_path() -> Path:
    """``$POWERBALANCE_STORE`` or the user data directory's ``powerbalance.duckdb``."""
    env = os.environ.get("POWERBALANCE_STORE")
    if env:
        return Path(env).expanduser()
    return user_store_path()


def _check_location(path: Path) -> None:
    """Refuse a store path whose folder is missing, that is a folder, or that cannot be read.

    Only the default location in the user data directory is created; a folder
    named with ``--store`` or ``$POWERBALANCE_STORE`` must exist (a typing error
    should not leave new folders behind).
    """
    if path == user_store_path():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store's folder {path.parent} ({exc.strerror}); "
                "give a store file in a writable folder with --store PATH"
            ) from None
    parent = path.parent
    if not parent.exists():
        raise StoreError(
            f"the store's folder {parent} does not exist; create it first "
            f"(mkdir -p {parent}) or give another file with --store PATH"
        )
    if not parent.is_dir():
        raise StoreError(
            f"the store's folder {parent} is a file, not a folder; "
            "give another file with --store PATH"
        )
    if path.is_dir():
        raise StoreError(
            f"the store {path} is a folder; --store takes a file, "
            f"for example {path / 'powerbalance.duckdb'}"
        )


def _permission_problem(path: Path, read_only: bool) -> str | None:
    """Why ``path`` cannot be opened as asked, when the file system forbids it."""
    if path.exists():
        if not os.access(path, os.R_OK):
            return f"the store {path} cannot be read (no read permission)"
        if not read_only and not os.access(path, os.W_OK):
            return (
                f"the store {path} is read-only (no write permission) and this command must "
                "write to it (to change it, or to refresh its bundled records for this version "
                "of powerbalance); make the file writable (chmod u+w) or use another --store"
            )
        return None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return (
            f"cannot create the store {path}: the folder {path.parent} is read-only; "
            "give a store file in a writable folder with --store PATH"
        )
    return None


def _busy_timeout() -> float:
    try:
        return float(os.environ.get("POWERBALANCE_STORE_TIMEOUT", "3"))
    except ValueError:
        return 3.0


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used by another process" in text


class Store:
    """An open store. Use :func:`open_store` (a context manager) to get one."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    # --- transactions -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block in one transaction; any exception rolls everything back."""
        if self.read_only:
            raise StoreError(f"store {self.path} was opened read-only")
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    # --- meta ---------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else row[0]

    def _set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # --- evidence -----------------------------------------------------------------
    def evidence(self) -> Evidence:
        """Every evidence record as an in-memory :class:`Evidence` collection."""
        return Evidence(
            self._decode(row)
            for row in self.con.execute("SELECT type, body FROM evidence ORDER BY id").fetchall()
        )

    def get(self, record_id: str) -> Record:
        row = self.con.execute(
            "SELECT type, body FROM evidence WHERE id = ?", [record_id]
        ).fetchone()
        if row is None:
            ids = [r[0] for r in self.con.execute("SELECT id FROM evidence").fetchall()]
            raise UnknownRecord(record_id, ids)
        return self._decode(row)

    def origin(self, record_id: str) -> str | None:
        row = self.con.execute("SELECT origin FROM evidence WHERE id = ?", [record_id]).fetchone()
        return None if row is None else row[0]

    def query(
        self,
        *,
        kind: str | None = None,
        actor: str | None = None,
        indicator: str | None = None,
        text: str | None = None,
    ) -> list[Record]:
        """Records filtered in SQL: kind, actor id, indicator glob (``trade.*``), free text."""
        where, params = ["TRUE"], []
        if kind:
            where.append("type = ?")
            params.append(kind)
        if actor:
            where.append("list_contains(actors, ?)")
            params.append(actor)
        if indicator:
            where.append("indicator GLOB ?")
            params.append(indicator)
        if text:
            where.append("body ILIKE ?")
            params.append(f"%{text}%")
        sql = (
            "SELECT type, body FROM evidence WHERE "
            + " AND ".join(where)
            + " ORDER BY CASE type WHEN 'actor' THEN 0 WHEN 'source' THEN 1 WHEN 'claim' THEN 2"
            " WHEN 'event' THEN 3 ELSE 4 END, start_date NULLS FIRST, id"
        )
        return [self._decode(row) for row in self.con.execute(sql, params).fetchall()]

    def add_records(
        self, records: Sequence[Record], *, origin: str, file: str, replace: bool = False
    ) -> int:
        """Add records in one transaction after checking ids and references.

        Existing user records with the same id are replaced only when ``replace``;
        bundled records are never replaced by user records. Records read by
        :func:`~powerbalance.evidence.loader.read_records` carry their places, so
        errors name the line.
        """
        positions: list[Place] = getattr(records, "positions", [])

        def where(n: int) -> str:
            record_id = records[n].id
            if n < len(positions):
                return f"{positions[n].of('id')} (id '{record_id}')"
            return f"id '{record_id}'"

        existing = dict(self.con.execute("SELECT id, origin FROM evidence").fetchall())
        seen: set[str] = set()
        for n, r in enumerate(records):
            if r.id in seen:
                raise EvidenceFileError(
                    file,
                    "the id appears twice in the file",
                    record=where(n),
                    field="id",
                    hint="give each record its own id",
                )
            seen.add(r.id)
            if r.id in existing:
                if existing[r.id] == "bundled":
                    raise EvidenceFileError(
                        file,
                        "the id belongs to a bundled record",
                        record=where(n),
                        field="id",
                        hint="choose another id",
                    )
                if not replace:
                    raise EvidenceFileError(
                        file,
                        "a record with this id is already stored",
                        record=where(n),
                        field="id",
                        hint="use --replace to overwrite your earlier record",
                    )
        types = dict(self.con.execute("SELECT id, type FROM evidence").fetchall())
        check_references(
            records,
            actors={i for i, t in types.items() if t == "actor"},
            sources={i for i, t in types.items() if t == "source"},
            file=file,
            places=getattr(records, "places", None),
        )
        with self.transaction():
            self._insert(records, origin=origin, replace=True)
        return len(records)

    def import_file(
        self,
        path: str | Path,
        *,
        replace: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Validate a user's evidence file and add all its records, or none.

        ``progress`` is called with (records checked, records in the file).
        """
        path = Path(path)
        records = read_records(path, progress=progress)
        return self.add_records(
            records, origin=f"user:{path.name}", file=str(path), replace=replace
        )

    def counts(self) -> dict[str, int]:
        rows = self.con.execute("SELECT type, count(*) FROM evidence GROUP BY type").fetchall()
        return {t: int(n) for t, n in rows}

    # --- internals ----------------------------------------------------------------
    def _insert(self, records: Iterable[Record], *, origin: str, replace: bool) -> None:
        # One statement over an Arrow table: executemany runs one statement a row
        # (about 7 ms each, so minutes for a file of some ten thousand records).
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        rows = [_row(r, origin) for r in records]
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        table = pa.table(
            {
                name: pa.array(values, type=kind)
                for (name, kind), values in zip(_ROW_COLUMNS, columns, strict=True)
            }
        )
        names = ", ".join(name for name, _ in _ROW_COLUMNS)
        self.con.register("_new_evidence", table)
        try:
            self.con.execute(f"{verb} INTO evidence ({names}) SELECT {names} FROM _new_evidence")
        finally:
            self.con.unregister("_new_evidence")

    @staticmethod
    def _decode(row: tuple[str, str]) -> Record:
        rtype, body = row
        data = json.loads(body)
        data.pop("type", None)
        # STORED: rules added after a record was written (value ranges) do not apply.
        return RECORD_TYPES[rtype].model_validate(data, context=STORED)

    def _sync_corpus(self) -> None:
        digest = corpus_hash()
        if self.meta("corpus_hash") == digest:
            return
        records = corpus_records()
        with self.transaction():
            self.con.execute("DELETE FROM evidence WHERE origin = 'bundled'")
            self._insert(records, origin="bundled", replace=True)
            self._set_meta("corpus_hash", digest)


_ROW_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("id", pa.string()),
    ("type", pa.string()),
    ("indicator", pa.string()),
    ("actors", pa.list_(pa.string())),
    ("start_date", pa.date32()),
    ("end_date", pa.date32()),
    ("source", pa.string()),
    ("origin", pa.string()),
    ("body", pa.string()),
]


def _row(r: Record, origin: str) -> list[Any]:
    indicator = r.indicator if isinstance(r, Claim) else None
    if isinstance(r, Claim):
        actors, start, end = r.actors(), r.period.start, r.period.end
    elif isinstance(r, Event):
        actors, start, end = list(r.actors), r.date, r.date
    elif isinstance(r, Stance):
        actors, start, end = r.actors(), None, None
    elif isinstance(r, Actor):
        actors, start, end = [r.id], None, None
    elif isinstance(r, Source):
        actors, start, end = [], r.date, r.date
    else:  # pragma: no cover - every record type is listed above
        raise TypeError(type(r))
    source = getattr(r, "source", None)
    body = json.dumps(r.to_json_dict(), ensure_ascii=False)
    return [r.id, r.type_name(), indicator, actors, start, end, source, origin, body]


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + _busy_timeout()
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                problem = _permission_problem(path, read_only) or _io_problem(path, exc)
                raise StoreError(problem) from None
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"store busy: another powerbalance process is writing {path}; "
                    "wait for it to finish and try again (or pass --store for another file)"
                ) from None
            time.sleep(0.1)
        except duckdb.Error as exc:
            raise StoreError(f"{path} is not a usable powerbalance store: {exc}") from None


def _io_problem(path: Path, exc: Exception) -> str:
    text = str(exc).lower()
    if "permission denied" in text:
        return (
            f"the store {path} cannot be opened: permission denied; make the file and its "
            "folder writable or give another file with --store PATH"
        )
    if "read-only file system" in text:
        return (
            f"the store {path} is on a read-only file system; "
            "give a store file on a writable disk with --store PATH"
        )
    if "not a valid duckdb database" in text:
        return (
            f"{path} is not a powerbalance store (not a DuckDB database file); "
            "give another file with --store PATH (a new name creates a fresh store)"
        )
    return f"cannot open the store {path}: {exc}"


def _check_is_store(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a DuckDB file of another program (tables, but not the store's ``meta``)."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if tables and "meta" not in tables:
        con.close()
        raise StoreError(
            f"{path} is a DuckDB database of another program, not a powerbalance store; "
            "it was left as it is: give another file with --store PATH"
        )


@contextmanager
def open_store(path: str | Path | None = None, *, read_only: bool = False) -> Iterator[Store]:
    """Open (creating and filling on first use) the store and close it afterwards.

    Parameters
    ----------
    path
        The DuckDB file; default :func:`default_store_path`.
    read_only
        Open without the write lock (other readers may share it). A store that
        does not exist yet, or whose bundled corpus is stale, is first created
        or refreshed with a brief write.
    """
    path = Path(path).expanduser() if path is not None else default_store_path()
    _check_location(path)
    needs_write = not path.exists()
    if read_only and not needs_write:
        problem = _permission_problem(path, read_only=True)
        if problem:
            raise StoreError(problem)
        con = _connect(path, read_only=True)
        try:
            store = Store(con, path, read_only=True)
            stale = store.meta("corpus_hash") != corpus_hash() or store.meta(
                "schema_version"
            ) != str(SCHEMA_VERSION)
        except duckdb.CatalogException:
            stale = True
        if stale:
            con.close()
            needs_write = True
        else:
            try:
                yield store
            finally:
                con.close()
            return
    problem = _permission_problem(path, read_only=False)
    if problem:
        raise StoreError(problem)
    existed = path.exists()
    con = _connect(path, read_only=False)
    try:
        if existed:
            _check_is_store(con, path)
        store = Store(con, path, read_only=False)
        with store.transaction():
            for ddl in SCHEMA:
                con.execute(ddl)
            store._set_meta("schema_version", str(SCHEMA_VERSION))
        store._sync_corpus()
        if read_only:
            con.close()
            con = _connect(path, read_only=True)
            store = Store(con, path, read_only=True)
        yield store
    finally:
        con.close()
