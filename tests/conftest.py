"""Shared fixtures: the public datasets beside the project, a throwaway store."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path | None:
    """``$POWERBALANCE_SHARED_DATA`` or ``../shared/data`` beside the repository, if present."""
    env = os.environ.get("POWERBALANCE_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "data")
    for c in candidates:
        if c.is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real public datasets; skips the test when it is absent."""
    d = shared_data_dir()
    if d is None:
        pytest.skip("../shared/data is absent (public datasets are not redistributed)")
    return d


@pytest.fixture
def shared_file(shared_data: Path):
    """Return a function giving a file under ../shared/data, skipping when it is missing."""

    def get(relative: str) -> Path:
        p = shared_data / relative
        if not p.exists():
            pytest.skip(f"{relative} is absent from ../shared/data")
        return p

    return get


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh store file for one test; also set as $POWERBALANCE_STORE for CLI runs."""
    p = tmp_path / "store.duckdb"
    monkeypatch.setenv("POWERBALANCE_STORE", str(p))
    monkeypatch.setenv("POWERBALANCE_STORE_TIMEOUT", "0.5")
    return p


@pytest.fixture(scope="session")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store filled from the bundled corpus once a session; tests work on copies."""
    from powerbalance.evidence.store import open_store

    path = tmp_path_factory.mktemp("template-store") / "store.duckdb"
    with open_store(path):
        pass
    return path


@pytest.fixture
def fresh_store(tmp_path: Path, template_store: Path) -> Path:
    """A copy of the filled store for one test (quicker than filling one)."""
    path = tmp_path / "s.duckdb"
    shutil.copyfile(template_store, path)
    return path


@pytest.fixture(scope="session", autouse=True)
def _parse_cache(tmp_path_factory: pytest.TempPathFactory):
    """Cache parsed dataset files for this test session only (never the user's cache)."""
    old = os.environ.get("POWERBALANCE_CACHE")
    cache = tmp_path_factory.getbasetemp() / "powerbalance-parse-cache"
    cache.mkdir(exist_ok=True)
    os.environ["POWERBALANCE_CACHE"] = str(cache)
    yield
    if old is None:
        os.environ.pop("POWERBALANCE_CACHE", None)
    else:
        os.environ["POWERBALANCE_CACHE"] = old


@pytest.fixture
def chromium() -> str:
    """The Chromium that prints PDF reports; the test skips where it is not installed
    (`.ci/run` installs it)."""
    from powerbalance.interfaces.report.build import find_chromium

    found = find_chromium()
    if found is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); it prints PDF reports")
    return found
