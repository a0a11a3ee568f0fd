"""The bundled evidence corpus: every figure and dated event of the two seed articles.

The corpus lives as YAML files inside the package (``corpus/*.yaml``), written
in the project's own words; figures and dates are the articles'. Loading it
validates every record and checks that every actor and source it names exists.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.loader import check_references, read_records_from_text
from powerbalance.evidence.models import Actor, Claim, Record, Source

#: The folder of this module, where its package data lie.
_HERE = Path(__file__).parent

CORPUS_FILES = ("actors.yaml", "sources.yaml", "claims.yaml", "events.yaml", "stances.yaml")
CHECKS_FILE = "checks.yaml"


def _corpus_texts() -> dict[str, str]:
    root = _HERE / "corpus"
    texts = {}
    for name in (*CORPUS_FILES, CHECKS_FILE):
        entry = root / name
        if entry.is_file():
            texts[name] = entry.read_text(encoding="utf-8")
    return texts


def corpus_hash() -> str:
    """A digest of the bundled corpus files: the store refreshes its copy when it changes."""
    h = hashlib.sha256()
    for name, text in sorted(_corpus_texts().items()):
        h.update(name.encode())
        h.update(text.encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def corpus_records() -> tuple[Record, ...]:
    """Every record of the bundled corpus, validated, with dataset checks attached to claims."""
    texts = _corpus_texts()
    records: list[Record] = []
    for name in CORPUS_FILES:
        if name in texts:
            records.extend(
                read_records_from_text(
                    texts[name], "yaml", label=f"corpus/{name}", default_type=name[:-6]
                )
            )
    if CHECKS_FILE in texts:
        records = _attach_checks(records, texts[CHECKS_FILE])
    check_references(
        records,
        actors={r.id for r in records if isinstance(r, Actor)},
        sources={r.id for r in records if isinstance(r, Source)},
        file="corpus",
    )
    return tuple(records)


def load_corpus() -> Evidence:
    """The bundled corpus as an :class:`Evidence` collection (no store needed)."""
    return Evidence(corpus_records())


def _attach_checks(records: list[Record], text: str) -> list[Record]:
    """Attach the checks of ``checks.yaml`` (a mapping claim id -> check) to their claims."""
    import yaml

    from powerbalance.errors import EvidenceFileError
    from powerbalance.evidence.models import Check

    mapping = yaml.safe_load(text) or {}
    by_id = {r.id: i for i, r in enumerate(records)}
    for claim_id, spec in mapping.items():
        index = by_id.get(claim_id)
        if index is None or not isinstance(records[index], Claim):
            raise EvidenceFileError(
                f"corpus/{CHECKS_FILE}", "names no claim of the corpus", record=f"key '{claim_id}'"
            )
        records[index] = records[index].model_copy(update={"check": Check.model_validate(spec)})
    return records


def template_text() -> str:
    """A commented example of a user's own evidence file (``evidence template``)."""
    return (_HERE / "template.yaml").read_text(encoding="utf-8")
