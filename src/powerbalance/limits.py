"""The upper bounds on work a user can ask for, in one place.

Every entry point (the command line, the web API, uploaded files and the library's
own defaults) checks a request against these limits before any work starts, and
refuses with the limit named (:class:`~powerbalance.errors.LimitExceeded`, exit
code 2 on the command line). The bounds keep one request within this machine's
memory and time: each says why it is where it is. ``docs/limits.md`` lists them;
a test checks that page against this module.

Examples
--------
>>> LIMITS["scenario.draws"].check(1000, option="--draws")
1000
>>> LIMITS["scenario.draws"].check(0, option="--draws")
Traceback (most recent call last):
...
powerbalance.errors.LimitExceeded: --draws must be at least 1, got 0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from powerbalance.errors import LimitExceeded

Number = TypeVar("Number", int, float)


@dataclass(frozen=True)
class Limit:
    """A bound on one kind of request.

    Attributes
    ----------
    key : the limit's name, as documented (``scenario.draws``).
    minimum, maximum : the allowed range, both inclusive.
    unit : what is counted.
    why : the reason for the maximum, shown in the documentation.
    """

    key: str
    minimum: int
    maximum: int
    unit: str
    why: str

    def check(self, value: Number, *, option: str | None = None) -> Number:
        """Return ``value`` if it lies within the limit; raise ``LimitExceeded`` otherwise."""
        name = option or self.key
        if value < self.minimum:
            raise LimitExceeded(f"{name} must be at least {self.minimum:,}, got {value:,}")
        if value > self.maximum:
            raise LimitExceeded(
                f"{name} is {value:,} {self.unit}; the limit is {self.maximum:,} "
                f"(limit '{self.key}': {self.why})"
            )
        return value


def _limits(*items: Limit) -> dict[str, Limit]:
    return {limit.key: limit for limit in items}


LIMITS: dict[str, Limit] = _limits(
    Limit(
        "scenario.draws",
        1,
        1_000_000,
        "draws",
        "a run keeps every draw in memory, about 1.1 kB each (1 GB at the limit)",
    ),
    Limit(
        "web.scenario.draws",
        1,
        200_000,
        "draws",
        "a dashboard job shares the server with its other users",
    ),
    Limit(
        "web.jobs.queued",
        1,
        8,
        "jobs",
        "scenario jobs waiting or running at once per server; more are refused until one ends",
    ),
    Limit(
        "bargain.runs",
        0,
        5_000,
        "runs",
        "each sensitivity run solves the model again; 5,000 runs of the bundled sets take minutes",
    ),
    Limit(
        "balance.time_limit",
        1,
        3_600,
        "seconds",
        "the exact frustration index is NP-hard; at the time limit each group reports the best "
        "partition found with its lower bound and gap (default 60 s a group)",
    ),
    Limit(
        "balance.walk_index.nodes",
        0,
        5_000,
        "nodes",
        "the walk index decomposes each connected component densely: 200 MB and about "
        "3 minutes for 5,000 nodes; larger graphs get the other indices and no walk index",
    ),
    Limit(
        "bargain.actors.pce",
        2,
        200,
        "actors",
        "each turn of the spatial model holds every actor's estimate of every utility "
        "(n^3 numbers); measured peak per turn: 0.37 GB at 200 actors and 0.95 GB at 300 "
        "with numba, 1 GB at 150 without it, growing as n^3 (500 actors: over 8 GB)",
    ),
    Limit(
        "bargain.actors.eu",
        2,
        300,
        "actors",
        "each round of the expected-utility model forms every actor's vote on every "
        "pair (n^3 numbers, 16 bytes each at peak); measured 0.13 GB and 0.9 s a round "
        "at 200 actors, 0.42 GB and 2.7 s at 300 (5,000 actors: 931 GiB)",
    ),
    Limit(
        "bargain.validate.issues",
        1,
        20_000,
        "issues",
        "validation runs every model on every issue; measured 3.3 s for the 172 DEU III "
        "training issues and the four models of 2024 (about 7 minutes at the limit, more "
        "with slower models)",
    ),
    Limit(
        "events.synth.rows",
        1,
        20_000_000,
        "rows",
        "a synthetic export takes about 330 bytes a row (6.6 GB at the limit)",
    ),
    Limit(
        "evidence.file.bytes",
        0,
        20_000_000,
        "bytes",
        "an evidence file is read whole and YAML is parsed at about 1 MB a second",
    ),
    Limit(
        "ingest.file.bytes",
        1,
        20_000_000,
        "bytes",
        "an article is read whole into memory and its main text scanned sentence by sentence "
        "(about 0.1 s for 10 kB); 20 MB holds any article, HTML page or PDF report with "
        "images, while larger files are archives or scans, not articles",
    ),
    Limit(
        "evidence.yaml.values",
        1,
        2_000_000,
        "values",
        "YAML aliases can repeat one value many times; counted after expansion, as stored",
    ),
)
