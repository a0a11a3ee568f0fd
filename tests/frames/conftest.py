"""Fixtures of the frames tests: a parse cache shared by the session."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _parse_cache(tmp_path_factory: pytest.TempPathFactory):
    """Cache parsed dataset files for this test session only (never the user's cache)."""
    old = os.environ.get("POWERBALANCE_CACHE")
    # one folder per session, shared by the datasets and frames tests
    cache = tmp_path_factory.getbasetemp() / "powerbalance-parse-cache"
    cache.mkdir(exist_ok=True)
    os.environ["POWERBALANCE_CACHE"] = str(cache)
    yield
    if old is None:
        os.environ.pop("POWERBALANCE_CACHE", None)
    else:
        os.environ["POWERBALANCE_CACHE"] = old
