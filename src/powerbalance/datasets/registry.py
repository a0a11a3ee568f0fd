"""The user's dataset files: registration in the store and lookup for computations.

Nothing is bundled. A user registers a downloaded file once
(``powerbalance data add cow-nmc NMC-60-abridged.csv``): the file is read
and checked against the card, and its path, SHA-256 and a summary (rows,
columns, years covered) go into the store's ``datasets`` table in one
transaction. Computations then get their data through :class:`DataSources`,
which looks in an explicit ``--data-dir`` first and in the registrations next.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from powerbalance.datasets.cards import CARDS, get_card, year_range
from powerbalance.datasets.errors import DatasetNotRegistered
from powerbalance.datasets.readers import read_dataset
from powerbalance.errors import DatasetFormatError, InputFileError, UserError

__all__ = [
    "DataSources",
    "NoSuchFolder",
    "add_dataset",
    "check_data_dir",
    "dataset_info",
    "list_datasets",
    "registrations",
    "remove_dataset",
    "sha256_of",
    "summarize",
    "year_range",
]


class NoSuchFolder(UserError):
    """A ``--data-dir`` that does not exist or is not a folder."""


def check_data_dir(data_dir: str | Path | None, *, option: str = "--data-dir") -> Path | None:
    """``data_dir`` as a path when it is an existing folder (or ``None``); else :class:`NoSuchFolder`."""
    if data_dir is None:
        return None
    path = Path(data_dir).expanduser()
    if not path.exists():
        raise NoSuchFolder(
            f"{option} {data_dir}: no such folder; give the folder that holds the downloaded "
            "dataset files, or leave the option out to use the registered files"
        )
    if not path.is_dir():
        raise NoSuchFolder(
            f"{option} {data_dir}: this is a file, not a folder; give the folder that holds it "
            "(or register the file with `powerbalance data add ID PATH`)"
        )
    return path


if TYPE_CHECKING:
    from powerbalance.evidence.store import Store


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def summarize(frame: pd.DataFrame) -> dict[str, Any]:
    """Rows, columns and covered years of a parsed dataset (what ``data info`` shows)."""
    coverage = frame.attrs.get("coverage")
    return {
        "rows": len(frame),
        "columns": [str(c) for c in frame.columns],
        "coverage": list(coverage) if coverage else None,
    }


def add_dataset(store: Store, dataset_id: str, path: str | Path) -> dict[str, Any]:
    """Check a file against its card and register it (replacing an earlier file for the id).

    Parameters
    ----------
    store
        An open, writable store.
    dataset_id
        A card id (``cow-nmc``, ``sipri-register``, ...).
    path
        The downloaded file.

    Returns
    -------
    dict
        ``dataset, path, sha256`` and the summary of the parse.

    Raises
    ------
    NoSuchDataset
        For an id without a card.
    InputFileError
        When the file does not exist.
    DatasetFormatError
        When the file is not that dataset (the message names expected and found columns).
    """
    card = get_card(dataset_id)
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise InputFileError(str(path), "no such file", hint="give the path of the downloaded file")
    companions = {}
    registered = registrations(store)
    for need in card.needs:
        if need in registered:
            companions[need] = Path(registered[need]["path"])
    frame = read_dataset(dataset_id, path, companions=companions)
    if len(frame) == 0:
        raise DatasetFormatError(
            str(path),
            f"no usable {dataset_id} rows could be read from the file",
            hint=f"is it the right file? see `powerbalance data info {dataset_id}`",
        )
    info = {"card_version": card.version, **summarize(frame)}
    digest = sha256_of(path)
    store.register_dataset(dataset_id, str(path), digest, json.dumps(info))
    return {"dataset": dataset_id, "path": str(path), "sha256": digest, **info}


def remove_dataset(store: Store, dataset_id: str) -> int:
    """Forget a registration; returns how many were removed (0 or 1)."""
    get_card(dataset_id)
    return store.unregister_dataset(dataset_id)


def registrations(store: Store) -> dict[str, dict[str, Any]]:
    """Registered files by dataset id: ``path, sha256, registered_at, info``."""
    out: dict[str, dict[str, Any]] = {}
    for reg in store.dataset_registrations():
        out[reg.dataset] = {
            "path": reg.path,
            "sha256": reg.sha256,
            "registered_at": reg.registered_at.isoformat() if reg.registered_at else None,
            "info": json.loads(reg.info) if reg.info else {},
        }
    return out


def list_datasets(
    registered: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Every card with its registration status (``registered`` path or ``None``).

    Examples
    --------
    >>> [d["id"] for d in list_datasets()][:2]
    ['cow-nmc', 'cow-states']
    """
    registered = registered or {}
    out = []
    for card in CARDS.values():
        reg = registered.get(card.id)
        out.append(
            {
                "id": card.id,
                "title": card.title,
                "version": card.version,
                "coverage": list(card.coverage),
                "registered": reg["path"] if reg else None,
            }
        )
    return out


def dataset_info(
    dataset_id: str, registered: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """A card as a dict, with its registration when there is one."""
    card = get_card(dataset_id)
    info = card.to_dict()
    info["registration"] = dict((registered or {}).get(dataset_id) or {}) or None
    return info


class DataSources:
    """Where each dataset's file is, and its parsed frame (read once, then kept).

    Parameters
    ----------
    files
        Explicit files by dataset id (take precedence).
    data_dir
        A folder searched (recursively) for each card's file-name patterns.
    registered
        Registrations from the store (:func:`registrations`).
    """

    def __init__(
        self,
        files: Mapping[str, str | Path] | None = None,
        *,
        data_dir: str | Path | None = None,
        registered: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.files = {k: Path(v) for k, v in (files or {}).items()}
        self.data_dir = check_data_dir(data_dir)
        self.registered = {k: Path(v["path"]) for k, v in (registered or {}).items()}
        self._frames: dict[str, pd.DataFrame] = {}
        self._found: dict[str, Path | None] = {}

    @classmethod
    def from_store(cls, store: Store, *, data_dir: str | Path | None = None) -> DataSources:
        return cls(data_dir=data_dir, registered=registrations(store))

    def path(self, dataset_id: str) -> Path | None:
        """The file for a dataset, or ``None`` when none is known."""
        card = get_card(dataset_id)
        if dataset_id in self.files:
            return self.files[dataset_id]
        if self.data_dir is not None:
            if dataset_id not in self._found:
                self._found[dataset_id] = None
                for pattern in card.filenames:
                    found = sorted(self.data_dir.rglob(pattern))
                    if found:
                        # the newest version when several match (NMC v5 and v6 side by side)
                        self._found[dataset_id] = max(found, key=lambda p: p.name)
                        break
            if self._found[dataset_id] is not None:
                return self._found[dataset_id]
        return self.registered.get(dataset_id)

    def available(self, dataset_id: str) -> bool:
        return dataset_id in self._frames or self.path(dataset_id) is not None

    def first_available(self, *dataset_ids: str) -> str | None:
        return next((d for d in dataset_ids if self.available(d)), None)

    def load(self, dataset_id: str, *, purpose: str | None = None) -> pd.DataFrame:
        """The parsed frame of a dataset, or :class:`DatasetNotRegistered`."""
        if dataset_id in self._frames:
            return self._frames[dataset_id]
        path = self.path(dataset_id)
        if path is None:
            raise DatasetNotRegistered(dataset_id, purpose=purpose)
        companions = {}
        for need in get_card(dataset_id).needs:
            p = self.path(need)
            if p is not None:
                companions[need] = p
        frame = read_dataset(dataset_id, path, companions=companions)
        self._frames[dataset_id] = frame
        return frame

    def put(self, dataset_id: str, frame: pd.DataFrame) -> None:
        """Use an already-parsed frame for a dataset (tests, notebooks)."""
        get_card(dataset_id)
        self._frames[dataset_id] = frame
