"""The embedded store: one DuckDB file holding evidence, registered datasets and runs.

- Where: ``--store PATH``, else ``$POWERBALANCE_STORE``, else the user data
  directory (platformdirs) as ``powerbalance.duckdb``.
- First use creates the file and fills it from the bundled corpus; when the
  bundled corpus changes (a new version of powerbalance), its records are
  refreshed and the user's own records are kept.
- Every write runs in one transaction: an error or an interruption (even
  ``kill -9``) leaves the store as it was before or as it is after, never
  between.
- DuckDB lets one process at a time open a file, for writing or (shared with
  other readers) for reading: while a process writes, readers in other
  processes cannot open it. A process that cannot open it tries again every
  few hundredths of a second for up to ``$POWERBALANCE_STORE_TIMEOUT`` seconds
  (default 3) and then gets :class:`~powerbalance.errors.StoreBusy`.
- So writes hold the file only for their final transaction: an import reads,
  validates and prepares its whole file with the store closed, then writes it
  in one short transaction (:meth:`Store.import_file`), and a connection is
  opened again on demand. An import of ``BULK_RECORDS``
  records or more writes into a copy of the store beside it and renames the
  copy over the store, so readers are not kept out while its commit runs
  (:meth:`Store._write_bulk`). Writers first take ``STORE.lock`` (a file lock
  that readers do not take), so no write falls between the copy and the rename.
- A row that could not be written because the store stayed busy (a finished
  scenario run) can be kept in a pending file beside the store
  (:func:`stash_row`, ``STORE.pending/``); the next process that opens the
  store adds it in one transaction and removes the file.
- Candidates proposed from an article (``powerbalance ingest``) wait in the
  ``candidates`` table until a person reviews them: accepting one writes its
  record (and the article's source, when not yet held) and marks it accepted
  in one transaction (:meth:`Store.accept_candidate`); rejecting one leaves
  the evidence as it is.
- All SQL on the file is in this module: other modules read and write through
  the typed methods of :class:`Store` (evidence, ``runs``, ``datasets``,
  ``candidates``); the connection itself is private.
- Schema versions: 1 held evidence, datasets and runs; 2 adds ``candidates``.
  Every table is created ``IF NOT EXISTS`` when a writer opens the store, so a
  store of an earlier version gains the new tables on its first opening (a
  reader that finds an older version opens it for writing once to migrate it).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no writers' lock, no bulk path
    fcntl = None  # type: ignore[assignment]

from powerbalance.errors import EvidenceFileError, StoreBusy, StoreError, UnknownRecord
from powerbalance.evidence.candidates import Candidate, CandidateStatus
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

SCHEMA_VERSION = 2

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
    # version 2: candidates proposed by `powerbalance ingest`, waiting for review
    """CREATE TABLE IF NOT EXISTS candidates (
        id VARCHAR PRIMARY KEY,
        status VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        document VARCHAR NOT NULL,
        document_sha256 VARCHAR NOT NULL,
        source VARCHAR,
        source_body VARCHAR,
        body VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        reviewed_at TIMESTAMP
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


RUN_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "name",
    "created_at",
    "code_version",
    "seed",
    "spec",
    "params",
    "summary",
    "results",
)
"""The columns of the ``runs`` table, in order."""

_RUN_FIELDS = ", ".join(RUN_COLUMNS[:-1])  # every column but the arrays

_TABLES = frozenset({"meta", "evidence", "datasets", "runs", "candidates"})


@dataclass(frozen=True)
class RunRow:
    """One row of the ``runs`` table, as stored (JSON columns as text).

    ``results`` (the compressed arrays) is ``None`` when the method that read
    the row does not load them (:meth:`Store.runs`, the check of :meth:`Store.add_run`).
    """

    id: str
    kind: str
    name: str | None
    created_at: datetime | None
    code_version: str | None
    seed: int | None
    spec: str | None
    params: str | None
    summary: str | None
    results: bytes | None = None

    @classmethod
    def _from_row(cls, row: Sequence[Any]) -> RunRow:
        fields = list(row)
        if len(fields) == len(RUN_COLUMNS):
            blob = fields.pop()
            fields.append(bytes(blob) if blob is not None else None)
        seed = fields[5]
        fields[5] = int(seed) if seed is not None else None
        return cls(*fields)


@dataclass(frozen=True)
class DatasetRegistration:
    """One row of the ``datasets`` table: a user's file registered for a dataset id."""

    dataset: str
    path: str
    sha256: str | None
    registered_at: datetime | None
    info: str | None


class Store:
    """An open store. Use :func:`open_store` (a context manager) to get one.

    The connection is private (every statement on the file is a method here)
    and opened on demand: :meth:`release` closes it between transactions so
    that long work (reading a large file) does not keep other processes out of
    the file, and the next use opens it again, waiting while another process
    holds the store.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection | None,
        path: Path,
        read_only: bool,
        writers: _WritersLock | None = None,
    ) -> None:
        self._connection = con
        self._writers = writers
        self.path = path
        self.read_only = read_only
        self._in_transaction = False

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, opened again (waiting while the store is busy) if released.

        Private: every SQL statement on the store's file is in this module; other
        modules use the typed methods below.
        """
        if self._connection is None:
            self._connection, self._writers = _open_connection(self.path, self.read_only)
        return self._connection

    def release(self) -> None:
        """Close the connection until its next use, giving up the file to other processes."""
        if self._in_transaction:
            raise RuntimeError("the store's connection cannot be released inside a transaction")
        if self._connection is not None:
            con, self._connection = self._connection, None
            con.close()
        if self._writers is not None:
            writers, self._writers = self._writers, None
            writers.release()

    close = release

    # --- transactions -------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block in one transaction; any exception rolls everything back."""
        if self.read_only:
            raise StoreError(f"store {self.path} was opened read-only")
        con = self._con
        con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        body_done = False
        try:
            yield con
            body_done = True
        finally:
            if not body_done:  # an error or an interrupt in the body: nothing is kept
                self._in_transaction = False
                con.execute("ROLLBACK")
        try:
            con.execute("COMMIT")
        finally:
            self._in_transaction = False

    # --- meta ---------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else row[0]

    def _set_meta(self, key: str, value: str) -> None:
        self._con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # --- evidence -----------------------------------------------------------------
    def evidence(self) -> Evidence:
        """Every evidence record as an in-memory :class:`Evidence` collection."""
        return Evidence(
            self._decode(row)
            for row in self._con.execute("SELECT type, body FROM evidence ORDER BY id").fetchall()
        )

    def get(self, record_id: str) -> Record:
        row = self._con.execute(
            "SELECT type, body FROM evidence WHERE id = ?", [record_id]
        ).fetchone()
        if row is None:
            ids = [r[0] for r in self._con.execute("SELECT id FROM evidence").fetchall()]
            raise UnknownRecord(record_id, ids)
        return self._decode(row)

    def origin(self, record_id: str) -> str | None:
        row = self._con.execute("SELECT origin FROM evidence WHERE id = ?", [record_id]).fetchone()
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
        return [self._decode(row) for row in self._con.execute(sql, params).fetchall()]

    def add_records(
        self, records: Sequence[Record], *, origin: str, file: str, replace: bool = False
    ) -> int:
        """Add records in one transaction after checking ids and references.

        Existing user records with the same id are replaced only when ``replace``;
        bundled records are never replaced by user records. Records read by
        :func:`~powerbalance.evidence.loader.read_records` carry their places, so
        errors name the line.
        """
        return self._add(records, self._snapshot(), origin=origin, file=file, replace=replace)

    def import_file(
        self,
        path: str | Path,
        *,
        replace: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Validate a user's evidence file and add all its records, or none.

        The store is closed while the file is read, validated and prepared
        (most of the time of a large file), so other processes can read it
        meanwhile; the records are then written in one short transaction,
        after checking that the ids and references checked still hold. A file
        of :data:`BULK_RECORDS` records or more is written into a copy of the
        store that then replaces it (:meth:`_write_bulk`). No other connection
        of this process may be open on the store meanwhile.
        ``progress`` is called with (records checked, records in the file).
        """
        path = Path(path)
        snapshot = self._snapshot()
        released = not self.read_only and not self._in_transaction
        if released:
            self.release()
        records = read_records(path, progress=progress)
        return self._add(
            records,
            snapshot,
            origin=f"user:{path.name}",
            file=str(path),
            replace=replace,
            bulk=released and len(records) >= BULK_RECORDS and fcntl is not None,
        )

    def counts(self) -> dict[str, int]:
        rows = self._con.execute("SELECT type, count(*) FROM evidence GROUP BY type").fetchall()
        return {t: int(n) for t, n in rows}

    def origins(self) -> dict[str, str]:
        """Every record id with its origin (``bundled``, ``user:FILE``, ``web``...)."""
        return dict(self._con.execute("SELECT id, origin FROM evidence").fetchall())

    def record_ids(self) -> list[str]:
        """The ids of every stored evidence record, sorted."""
        return [r[0] for r in self._con.execute("SELECT id FROM evidence ORDER BY id").fetchall()]

    def evidence_rows(self) -> list[tuple[str, str, str]]:
        """Every stored record as ``(id, origin, body)`` (its stored JSON text), sorted by id."""
        rows = self._con.execute("SELECT id, origin, body FROM evidence ORDER BY id").fetchall()
        return [(str(i), str(o), str(b)) for i, o, b in rows]

    def row_count(self, table: str) -> int:
        """How many rows a table of the store holds (``evidence``, ``runs``, ``datasets``, ``meta``)."""
        if table not in _TABLES:
            raise ValueError(f"the store has no table {table!r}")
        row = self._con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    # --- runs ---------------------------------------------------------------------
    def add_run(
        self,
        row: Mapping[str, Any],
        *,
        verify: Callable[[RunRow], bool] | None = None,
    ) -> None:
        """Write one ``runs`` row in one transaction, checking it was written as expected.

        ``row`` maps column names (:data:`RUN_COLUMNS`; ``created_at`` is left
        to the store when absent) to values. Inside the same transaction the
        row is read back (without its arrays) and passed to ``verify``; when
        it is missing or ``verify`` returns false, nothing is kept and
        :class:`RuntimeError` is raised. Any exception (or interrupt) rolls
        the write back.
        """
        names = list(row)
        unknown = [n for n in names if n not in RUN_COLUMNS]
        if unknown or "id" not in row:
            raise ValueError(f"not a runs row: unknown columns {unknown} or no id")
        run_id = str(row["id"])
        with self._transaction() as con:
            con.execute(
                f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                [row[n] for n in names],
            )
            stored = con.execute(
                f"SELECT {_RUN_FIELDS} FROM runs WHERE id = ?", [run_id]
            ).fetchone()
            if stored is None or (verify is not None and not verify(RunRow._from_row(stored))):
                raise RuntimeError(f"run {run_id} was not written as expected")

    def runs(self, kind: str, *, name: str | None = None) -> list[RunRow]:
        """The runs of one kind (and name, when given), newest first, without their arrays."""
        sql = f"SELECT {_RUN_FIELDS} FROM runs WHERE kind = ?"
        args: list[Any] = [kind]
        if name:
            sql += " AND name = ?"
            args.append(name)
        sql += " ORDER BY created_at DESC, id"
        return [RunRow._from_row(r) for r in self._con.execute(sql, args).fetchall()]

    def runs_with_prefix(self, kind: str, prefix: str) -> list[RunRow]:
        """The runs of one kind whose id starts with ``prefix``, with their arrays, by id."""
        rows = self._con.execute(
            f"SELECT {', '.join(RUN_COLUMNS)} FROM runs "
            "WHERE kind = ? AND starts_with(id, ?) ORDER BY id",
            [kind, prefix],
        ).fetchall()
        return [RunRow._from_row(r) for r in rows]

    def run_ids(self, kind: str | None = None) -> list[str]:
        """The ids of the stored runs (of one kind, when given), sorted."""
        if kind is None:
            rows = self._con.execute("SELECT id FROM runs ORDER BY id").fetchall()
        else:
            rows = self._con.execute(
                "SELECT id FROM runs WHERE kind = ? ORDER BY id", [kind]
            ).fetchall()
        return [r[0] for r in rows]

    # --- registered datasets ------------------------------------------------------
    def register_dataset(self, dataset: str, path: str, sha256: str, info: str) -> None:
        """Register a file for a dataset id, replacing an earlier one, in one transaction.

        ``info`` is the registration's summary as JSON text.
        """
        with self._transaction() as con:
            con.execute("DELETE FROM datasets WHERE dataset = ?", [dataset])
            con.execute(
                "INSERT INTO datasets (dataset, path, sha256, info) VALUES (?, ?, ?, ?)",
                [dataset, path, sha256, info],
            )

    def unregister_dataset(self, dataset: str) -> int:
        """Forget the registration of a dataset id; returns how many were removed (0 or 1)."""
        with self._transaction() as con:
            row = con.execute(
                "SELECT count(*) FROM datasets WHERE dataset = ?", [dataset]
            ).fetchone()
            con.execute("DELETE FROM datasets WHERE dataset = ?", [dataset])
        return int(row[0]) if row else 0

    def dataset_registrations(self) -> list[DatasetRegistration]:
        """Every registration, oldest first."""
        rows = self._con.execute(
            "SELECT dataset, path, sha256, registered_at, info FROM datasets ORDER BY registered_at"
        ).fetchall()
        return [DatasetRegistration(*r) for r in rows]

    # --- candidates (powerbalance ingest) -----------------------------------------
    def add_candidates(self, candidates: Sequence[Candidate], *, source: Source) -> int:
        """Keep proposed candidates for review, in one transaction; returns how many are new.

        Idempotent on the id (:meth:`Candidate.make_id` is stable): a document
        ingested again adds nothing it already proposed, and a candidate
        already accepted or rejected keeps its status. ``source`` is the
        article's :class:`Source`, written to the evidence only when a
        candidate is accepted.
        """
        if not candidates:
            return 0
        source_body = _body(source, "source")
        rows = [
            [
                c.id,
                c.status,
                c.kind,
                c.document,
                c.document_sha256,
                source.id,
                source_body,
                c.model_dump_json(exclude_none=True),
            ]
            for c in candidates
        ]
        with self._transaction() as con:
            before = con.execute("SELECT count(*) FROM candidates").fetchone()
            con.executemany(
                "INSERT OR IGNORE INTO candidates "
                "(id, status, kind, document, document_sha256, source, source_body, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            after = con.execute("SELECT count(*) FROM candidates").fetchone()
        return int(after[0] if after else 0) - int(before[0] if before else 0)

    def candidates(
        self, status: CandidateStatus | None = None, *, document: str | None = None
    ) -> list[Candidate]:
        """The stored candidates (of one status, of one document), by document and position."""
        where: list[str] = ["TRUE"]
        params: list[str] = []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if document is not None:
            where.append("document = ?")
            params.append(document)
        rows = self._con.execute(
            "SELECT body, status FROM candidates WHERE " + " AND ".join(where), params
        ).fetchall()
        found = [_candidate(row) for row in rows]
        return sorted(found, key=lambda c: (c.document, c.start, c.id))

    def candidate(self, candidate_id: str) -> Candidate | None:
        """One candidate by id, or None when the store holds none with that id."""
        row = self._con.execute(
            "SELECT body, status FROM candidates WHERE id = ?", [candidate_id]
        ).fetchone()
        return None if row is None else _candidate(row)

    def accept_candidate(
        self, candidate_id: str, record: Record, *, reviewed_by: str, reviewed_at: datetime
    ) -> bool:
        """Store an accepted candidate's record and mark the candidate accepted, all or nothing.

        In one transaction: the candidate must still be pending; the article's
        source is added when the store does not hold it yet; ``record`` is
        checked like any new record (its id new, its actors and source known)
        and added with origin ``ingest:DOCUMENT``; the candidate is marked
        accepted with who and when. Any error leaves the store as it was.
        Returns whether the source was added.

        Raises
        ------
        StoreError
            The candidate is unknown or was reviewed already.
        EvidenceFileError, UnknownActor, UnknownRecord
            The record's id is taken, or it names an actor or source the store lacks.
        """
        with self._transaction() as con:
            body, source_body, document = self._pending(con, candidate_id)
            snapshot = self._snapshot(con)
            records: list[Record] = []
            source_added = False
            if source_body is not None:
                source = self._decode(("source", source_body))
                if source.id not in snapshot.existing:
                    records.append(source)
                    source_added = True
            records.append(record)
            label = f"candidate {candidate_id}"
            _check_new(records, snapshot, file=label, replace=False)
            _insert_table(con, _table(records, f"ingest:{document}"), replace=False)
            self._set_candidate(con, body, "accepted", reviewed_by, reviewed_at)
        return source_added

    def reject_candidate(
        self, candidate_id: str, *, reviewed_by: str, reviewed_at: datetime
    ) -> None:
        """Mark a pending candidate rejected (the evidence is not touched), in one transaction.

        Raises :class:`StoreError` for an unknown candidate or one reviewed already.
        """
        with self._transaction() as con:
            body, _, _ = self._pending(con, candidate_id)
            self._set_candidate(con, body, "rejected", reviewed_by, reviewed_at)

    @staticmethod
    def _pending(con: duckdb.DuckDBPyConnection, candidate_id: str) -> tuple[str, str | None, str]:
        """(body, source body, document) of a pending candidate; StoreError for any other."""
        row = con.execute(
            "SELECT body, status, source_body, document FROM candidates WHERE id = ?",
            [candidate_id],
        ).fetchone()
        if row is None:
            raise StoreError(f"the store holds no candidate '{candidate_id}'")
        body, status, source_body, document = row
        if status != "pending":
            raise StoreError(
                f"candidate '{candidate_id}' was {status} already; "
                "list the pending ones with `powerbalance ingest review --list`"
            )
        return body, source_body, document

    @staticmethod
    def _set_candidate(
        con: duckdb.DuckDBPyConnection,
        body: str,
        status: CandidateStatus,
        reviewed_by: str,
        reviewed_at: datetime,
    ) -> None:
        candidate = Candidate.model_validate_json(body).model_copy(
            update={
                "status": status,
                "reviewed_by": reviewed_by,
                "reviewed_at": reviewed_at.isoformat(timespec="seconds"),
            }
        )
        con.execute(
            "UPDATE candidates SET status = ?, body = ?, reviewed_at = ? WHERE id = ?",
            [status, candidate.model_dump_json(exclude_none=True), _utc(reviewed_at), candidate.id],
        )

    # --- internals ----------------------------------------------------------------
    def _snapshot(self, con: duckdb.DuckDBPyConnection | None = None) -> _Snapshot:
        """What the checks of new records need: the stored ids, origins and types."""
        existing: dict[str, str] = {}
        actors: set[str] = set()
        sources: set[str] = set()
        for record_id, rtype, origin in (
            (con or self._con).execute("SELECT id, type, origin FROM evidence").fetchall()
        ):
            existing[record_id] = origin
            if rtype == "actor":
                actors.add(record_id)
            elif rtype == "source":
                sources.add(record_id)
        return _Snapshot(existing, frozenset(actors), frozenset(sources))

    @staticmethod
    def _references(con: duckdb.DuckDBPyConnection) -> tuple[frozenset[str], frozenset[str]]:
        rows = con.execute(
            "SELECT id, type FROM evidence WHERE type IN ('actor', 'source')"
        ).fetchall()
        return (
            frozenset(i for i, t in rows if t == "actor"),
            frozenset(i for i, t in rows if t == "source"),
        )

    def _add(
        self,
        records: Sequence[Record],
        snapshot: _Snapshot,
        *,
        origin: str,
        file: str,
        replace: bool,
        bulk: bool = False,
    ) -> int:
        """Check ``records`` against ``snapshot``, prepare them, then write them all or none.

        Only the write holds the store: the ids the records share with the
        store and the stored actors and sources are compared with the snapshot
        there, and the records are checked again when another process changed
        them in between. ``bulk`` (a large import, with the store released):
        see :meth:`_write_bulk`; else one transaction.
        """
        _check_new(records, snapshot, file=file, replace=replace)
        conflicts = snapshot.conflicts(r.id for r in records)
        table = _table(records, origin)
        if not len(table):
            return 0
        if bulk:
            self._write_bulk(records, table, snapshot, conflicts, file=file, replace=replace)
            return len(records)
        with self._transaction() as con:
            now = self._recheck(con, records, table, snapshot, conflicts, file, replace)
            _insert_table(con, table, replace=bool(now))
        return len(records)

    def _recheck(
        self,
        con: duckdb.DuckDBPyConnection,
        records: Sequence[Record],
        table: pa.Table,
        snapshot: _Snapshot,
        conflicts: dict[str, str],
        file: str,
        replace: bool,
    ) -> dict[str, str]:
        """The stored ids among the new ones, after checking nothing changed since ``snapshot``."""
        con.register("_new_ids", table.select(["id"]))
        try:
            now = dict(
                con.execute(
                    "SELECT e.id, e.origin FROM evidence e JOIN _new_ids n ON e.id = n.id"
                ).fetchall()
            )
        finally:
            con.unregister("_new_ids")
        if now != conflicts or self._references(con) != (snapshot.actors, snapshot.sources):
            # Another process wrote in between: check again against what is stored now.
            fresh = self._snapshot(con)
            _check_new(records, fresh, file=file, replace=replace)
            now = fresh.conflicts(r.id for r in records)
        return now

    def _write_bulk(
        self,
        records: Sequence[Record],
        table: pa.Table,
        snapshot: _Snapshot,
        conflicts: dict[str, str],
        *,
        file: str,
        replace: bool,
    ) -> None:
        """Write a large batch into a copy of the store, then put the copy in its place.

        Readers are kept out only while the checks run on the store (a few
        hundredths of a second): the insert, its commit and the checkpoint of a
        hundred thousand records take a second or more, and run on a copy made
        beside the store while readers go on reading the store as it was. The
        copy then replaces the store in one rename, so the store is before or
        after the import, never between (also after ``kill -9``). Other
        powerbalance writers wait on the writers' lock all along.
        """
        real = self.path.resolve()
        deadline = time.monotonic() + _busy_timeout()
        writers = _WritersLock.acquire(real, deadline)
        copy = real.with_name(f".{real.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.import")
        try:
            con = _connect(real, read_only=False, deadline=deadline)
            try:
                now = self._recheck(con, records, table, snapshot, conflicts, file, replace)
                con.execute("CHECKPOINT")  # everything in the file itself: no WAL to copy
            finally:
                con.close()
            try:
                shutil.copyfile(real, copy)
                shutil.copymode(real, copy)
                con = duckdb.connect(str(copy))
                try:
                    con.execute("BEGIN TRANSACTION")
                    _insert_table(con, table, replace=bool(now))
                    con.execute("COMMIT")
                finally:
                    con.close()
                _fsync(copy)
                os.replace(copy, real)
                _fsync(real.parent)
            except OSError as exc:
                raise StoreError(
                    f"cannot write the store {self.path}: {exc.strerror or exc} (it was left "
                    "as it was; a large import needs free space for a copy of the store)"
                ) from None
            except duckdb.Error as exc:
                raise StoreError(
                    f"cannot write the store {self.path}: {exc} (it was left as it was)"
                ) from None
        finally:
            for leftover in (copy, copy.with_name(copy.name + ".wal")):
                with suppress(OSError):
                    leftover.unlink()
            writers.release()

    def _insert(self, records: Iterable[Record], *, origin: str, replace: bool) -> None:
        table = _table(records, origin)
        if len(table):
            _insert_table(self._con, table, replace=replace)

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
        with self._transaction():
            self._con.execute("DELETE FROM evidence WHERE origin = 'bundled'")
            self._insert(records, origin="bundled", replace=True)
            self._set_meta("corpus_hash", digest)

    def _absorb_pending(self) -> int:
        """Add the rows kept in pending files beside the store (each in its own transaction)."""
        folder = pending_dir(self.path)
        if not folder.is_dir():
            return 0
        added = 0
        for entry in sorted(folder.glob("*.json")):
            pending = _read_pending(entry)
            if pending is None:
                continue
            table, row, files = pending
            columns = {
                r[0]
                for r in self._con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]
                ).fetchall()
            }
            if table not in _PENDING_TABLES or not columns or not set(row) <= columns:
                continue  # not a row this version of the store knows: left for a person
            names = list(row)
            with self._transaction() as con:
                con.execute(
                    f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) "
                    f"VALUES ({', '.join('?' for _ in names)})",
                    [row[n] for n in names],
                )
            added += 1
            for f in (entry, *files):  # the .json first: a crash here leaves only data files
                with suppress(FileNotFoundError):
                    f.unlink()
        _tidy_pending(folder)
        return added


def _utc(moment: datetime) -> datetime:
    """A moment as naive UTC, as the store's TIMESTAMP columns hold it."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _candidate(row: Sequence[Any]) -> Candidate:
    """A candidate from its stored JSON; the status column is authoritative."""
    body, status = row[0], row[1]
    return Candidate.model_validate_json(body).model_copy(update={"status": status})


@dataclass(frozen=True)
class _Snapshot:
    """The stored ids (with their origin) and the actor and source ids, at one moment."""

    existing: dict[str, str]
    actors: frozenset[str]
    sources: frozenset[str]

    def conflicts(self, ids: Iterable[str]) -> dict[str, str]:
        """The origin of each of ``ids`` already stored."""
        existing = self.existing
        return {i: existing[i] for i in ids if i in existing}


def _check_new(records: Sequence[Record], snapshot: _Snapshot, *, file: str, replace: bool) -> None:
    """Refuse repeated ids, ids already stored (bundled, or without ``replace``), bad references."""
    positions: list[Place] = getattr(records, "positions", [])

    def where(n: int) -> str:
        record_id = records[n].id
        if n < len(positions):
            return f"{positions[n].of('id')} (id '{record_id}')"
        return f"id '{record_id}'"

    existing = snapshot.existing
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
    check_references(
        records,
        actors=set(snapshot.actors),
        sources=set(snapshot.sources),
        file=file,
        places=getattr(records, "places", None),
    )


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
_NAMES = ", ".join(name for name, _ in _ROW_COLUMNS)


def _table(records: Iterable[Record], origin: str) -> pa.Table:
    """The evidence table's rows for ``records``, as one Arrow table (built column by column)."""
    columns: dict[str, list[Any]] = {name: [] for name, _ in _ROW_COLUMNS if name != "origin"}
    ids, types, indicators = columns["id"], columns["type"], columns["indicator"]
    actors, starts, ends = columns["actors"], columns["start_date"], columns["end_date"]
    sources, bodies = columns["source"], columns["body"]
    for r in records:
        indicator = None
        if isinstance(r, Claim):
            indicator = r.indicator
            names, start, end = r.actors(), r.period.start, r.period.end
        elif isinstance(r, Event):
            names, start, end = list(r.actors), r.date, r.date
        elif isinstance(r, Stance):
            names, start, end = r.actors(), None, None
        elif isinstance(r, Actor):
            names, start, end = [r.id], None, None
        elif isinstance(r, Source):
            names, start, end = [], r.date, r.date
        else:  # pragma: no cover - every record type is listed above
            raise TypeError(type(r))
        rtype = r.type_name()
        ids.append(r.id)
        types.append(rtype)
        indicators.append(indicator)
        actors.append(names)
        starts.append(start)
        ends.append(end)
        sources.append(getattr(r, "source", None))
        bodies.append(_body(r, rtype))
    n = len(ids)
    arrays = {
        name: pa.array([origin] * n, type=kind)
        if name == "origin"
        else pa.array(columns[name], type=kind)
        for name, kind in _ROW_COLUMNS
    }
    return pa.table(arrays)


def _insert_table(con: duckdb.DuckDBPyConnection, table: pa.Table, *, replace: bool) -> None:
    # One statement over an Arrow table: executemany runs one statement a row
    # (about 7 ms each, so minutes for a file of some ten thousand records).
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    con.register("_new_evidence", table)
    try:
        con.execute(f"{verb} INTO evidence ({_NAMES}) SELECT {_NAMES} FROM _new_evidence")
    finally:
        con.unregister("_new_evidence")


def _fsync(path: Path) -> None:
    """Flush a file (or a folder, making a rename in it durable) to the disk, where allowed."""
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _body(r: Record, rtype: str) -> str:
    """The stored JSON of a record: :meth:`Record.to_json_dict` as text.

    pydantic writes it in one call (``exclude_none``, a number that is not
    finite as null, UTF-8 unescaped), several times faster than building the
    dict and ``json.dumps``; both give the same data (tests/evidence/test_store_bulk.py).
    """
    dumped = r.model_dump_json(exclude_none=True)
    return f'{{"type":{json.dumps(rtype)},{dumped[1:]}'


# --- pending rows ---------------------------------------------------------------------
PENDING_SUFFIX = ".pending"
_PENDING_TABLES = frozenset({"runs"})
_STALE_SECONDS = 3600.0


def pending_dir(path: str | Path) -> Path:
    """The folder beside the store that keeps rows waiting to be added (``STORE.pending``)."""
    path = Path(path)
    return path.with_name(path.name + PENDING_SUFFIX)


def pending_files(path: str | Path) -> list[Path]:
    """The pending rows of the store at ``path``, one ``.json`` file each."""
    folder = pending_dir(path)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def stash_row(path: str | Path, table: str, row: dict[str, Any]) -> Path:
    """Keep a row for ``table`` in a pending file beside the store; the next opening adds it.

    For a row that could not be written because the store stayed busy (a
    finished scenario run). Byte values go to their own files, written before
    the ``.json`` that names them; each file is written under a temporary name
    and renamed, so a crash leaves no half-written row. Datetimes are kept as
    ISO text. Returns the ``.json`` file.

    Raises
    ------
    StoreError
        When the folder or a file cannot be written (no permission, disk full).
    """
    if table not in _PENDING_TABLES:
        raise ValueError(f"rows of table {table!r} cannot be kept pending")
    folder = pending_dir(path)
    key = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}"
    columns: dict[str, Any] = {}
    blobs: dict[str, str] = {}
    try:
        folder.mkdir(exist_ok=True)
        for name, value in row.items():
            if isinstance(value, (bytes, bytearray, memoryview)):
                blobs[name] = f"{key}.{name}.bin"
                _write_atomic(folder / blobs[name], bytes(value))
            elif hasattr(value, "isoformat"):
                columns[name] = value.isoformat()
            else:
                columns[name] = value
        target = folder / f"{key}.json"
        text = json.dumps({"table": table, "columns": columns, "blobs": blobs}, allow_nan=False)
        _write_atomic(target, text.encode("utf-8"))
    except OSError as exc:
        raise StoreError(
            f"cannot write a pending file in {folder} ({exc.strerror or exc}); "
            "make the store's folder writable"
        ) from None
    return target


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    renamed = False
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        renamed = True
    finally:
        if not renamed:  # no half-written file is left behind
            with suppress(OSError):
                tmp.unlink()
    _fsync(path.parent)  # make the rename itself durable


def _read_pending(entry: Path) -> tuple[str, dict[str, Any], list[Path]] | None:
    """A pending file's table, row (bytes read back) and data files; None if unreadable."""
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        table = str(data["table"])
        row = dict(data["columns"])
        files = [entry.with_name(str(name)) for name in data["blobs"].values()]
        for column, f in zip(data["blobs"], files, strict=True):
            if f.parent != entry.parent:
                return None
            row[column] = f.read_bytes()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return table, row, files


def _tidy_pending(folder: Path) -> None:
    """Remove temporary and orphaned data files of crashed writers, and the folder once empty."""
    try:
        names = {p.name for p in folder.iterdir()}
    except OSError:
        return
    keys = {n[: -len(".json")] for n in names if n.endswith(".json")}
    now = time.time()
    for name in names:
        p = folder / name
        orphan = name.endswith(".bin") and name.split(".", 1)[0] not in keys
        # Only old ones: another process may be writing a row right now (data files first).
        if orphan or name.endswith(".tmp"):
            with suppress(OSError):
                if now - p.stat().st_mtime > _STALE_SECONDS:
                    p.unlink()
    with suppress(OSError):
        folder.rmdir()  # only when empty


BULK_RECORDS = 5_000
"""From how many records an import writes a copy of the store and renames it (:meth:`Store._write_bulk`)."""

_BUSY = (
    "store busy: another powerbalance process is using {path}; "
    "wait for it to finish and try again (or pass --store for another file)"
)


class _WritersLock:
    """The lock every powerbalance writer of one store takes first (``STORE.lock``, flock).

    DuckDB's own lock covers a connection; this one also covers a large import
    from the copy of the store to its rename, so that no other write happens
    in between and is lost. Readers do not take it. Released on close or when
    the process ends (even by ``kill -9``).
    """

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def acquire(cls, path: Path, deadline: float) -> _WritersLock:
        if fcntl is None:  # pragma: no cover - not POSIX
            return cls(None)
        lock_file = path.with_name(path.name + ".lock")
        try:
            fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store's lock file {lock_file} ({exc.strerror or exc}); "
                "make the store's folder writable or give another file with --store PATH"
            ) from None
        pause = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return cls(fd)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreBusy(_BUSY.format(path=path)) from None
                time.sleep(pause)
                pause = min(pause * 1.5, 0.05)

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor releases the flock


def _open_connection(
    path: Path, read_only: bool
) -> tuple[duckdb.DuckDBPyConnection, _WritersLock | None]:
    """A connection, with the writers' lock when writing, both within one busy timeout."""
    deadline = time.monotonic() + _busy_timeout()
    if read_only:
        return _connect(path, read_only=True, deadline=deadline), None
    writers = _WritersLock.acquire(path.resolve(), deadline)
    connected = False
    try:
        con = _connect(path, read_only=False, deadline=deadline)
        connected = True
    finally:
        if not connected:
            writers.release()
    return con, writers


def _connect(
    path: Path, read_only: bool, *, deadline: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the file, trying again while another process holds it, up to the busy timeout.

    Writes hold the store for a fraction of a second (their final transaction),
    so the attempts are close together: a reader gets in soon after a write.
    """
    if deadline is None:
        deadline = time.monotonic() + _busy_timeout()
    pause = 0.01
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                problem = _permission_problem(path, read_only) or _io_problem(path, exc)
                raise StoreError(problem) from None
            if time.monotonic() >= deadline:
                raise StoreBusy(_BUSY.format(path=path)) from None
            time.sleep(pause)
            pause = min(pause * 1.5, 0.05)
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
        or refreshed with a brief write; so are rows left pending beside it
        (:func:`stash_row`) added, when the store is free and writable.
    """
    path = Path(path).expanduser() if path is not None else default_store_path()
    _check_location(path)
    if read_only and path.exists():
        problem = _permission_problem(path, read_only=True)
        if problem:
            raise StoreError(problem)
        store = _open_reader(path)
        if store is not None and pending_files(path) and os.access(path, os.W_OK):
            store.close()
            # A busy or unwritable store: the rows stay pending for a later opening.
            with suppress(StoreBusy, StoreError):
                _open_writer(path).close()
            store = _open_reader(path)
        if store is not None:
            try:
                yield store
            finally:
                store.close()
            return
    problem = _permission_problem(path, read_only=False)
    if problem:
        raise StoreError(problem)
    store = _open_writer(path)
    try:
        if read_only:
            store.close()
            store = Store(_connect(path, read_only=True), path, read_only=True)
        yield store
    finally:
        store.close()


def _remove_stale_copies(path: Path) -> None:
    """Remove copies left by a large import that was killed (only a writer calls this)."""
    real = path.resolve()
    for leftover in real.parent.glob(f".{real.name}.*.import*"):
        with suppress(OSError):
            leftover.unlink()


def _open_reader(path: Path) -> Store | None:
    """The store opened read-only, or None when it must first be created or refreshed."""
    store = Store(_connect(path, read_only=True), path, read_only=True)
    try:
        stale = store.meta("corpus_hash") != corpus_hash() or store.meta("schema_version") != str(
            SCHEMA_VERSION
        )
    except duckdb.CatalogException:
        stale = True
    if stale:
        store.close()
        return None
    return store


def _open_writer(path: Path) -> Store:
    """The store opened for writing, its tables created, bundled corpus and pending rows added."""
    existed = path.exists()
    con, writers = _open_connection(path, read_only=False)
    store = Store(con, path, read_only=False, writers=writers)
    ready = False
    try:
        if existed:
            _check_is_store(con, path)
        _remove_stale_copies(path)
        with store._transaction():
            for ddl in SCHEMA:
                con.execute(ddl)
            store._set_meta("schema_version", str(SCHEMA_VERSION))
        store._sync_corpus()
        store._absorb_pending()
        ready = True
    finally:
        if not ready:  # an unusable store is closed, its lock released
            store.close()
    return store
