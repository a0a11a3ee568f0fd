"""The strategic triangle's actors and ties, written once for every layer.

Every array of the package that has one entry per triangle actor follows
:data:`TRIANGLE`, and every array with one entry per tie follows
:data:`TRIANGLE_TIES` (the positions in :data:`TIE_POSITIONS`). This module
imports nothing of the package, so the lowest layers may use it.

Examples
--------
>>> TRIANGLE
('USA', 'RUS', 'CHN')
>>> ["-".join(t) for t in TRIANGLE_TIES]
['USA-RUS', 'USA-CHN', 'RUS-CHN']
"""

from __future__ import annotations

from typing import Literal, cast, get_args

#: One actor of the strategic triangle (for typed fields such as scenario relations).
TriangleActor = Literal["USA", "RUS", "CHN"]
#: The strategic triangle (Russia–China–US), in the order of every per-actor array.
TRIANGLE: tuple[str, str, str] = cast("tuple[str, str, str]", get_args(TriangleActor))
#: The three ties of any triangle as positions of its actors: first–second,
#: first–third, second–third.
TIE_POSITIONS: tuple[tuple[int, int], ...] = ((0, 1), (0, 2), (1, 2))
#: The three ties of :data:`TRIANGLE` in the order of every per-tie array.
TRIANGLE_TIES: tuple[tuple[str, str], ...] = tuple(
    (TRIANGLE[i], TRIANGLE[j]) for i, j in TIE_POSITIONS
)
