"""Plots of a run (matplotlib, PNG or SVG): configuration probabilities and distributions.

The report and the dashboard reuse these functions. They draw on
:class:`matplotlib.figure.Figure` objects directly, so no global pyplot state
and no display are needed; matplotlib is imported only when a plot is made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from powerbalance.scenarios.schema import BARGAINING_MODELS, TIES
from powerbalance.theory.triangle import CONFIGURATIONS

FORMATS = ("png", "svg")
_LABELS = {
    "unit_veto": "unit veto",
    "stable_marriage": "stable marriage",
    "romantic_triangle": "romantic triangle",
    "menage_a_trois": "ménage à trois",
}


def _figure(width: float = 7.0, height: float = 4.0) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def configuration_figure(summary: Mapping[str, Any], title: str = "") -> Any:
    """Bars: probability of each triangle configuration before and after the shocks."""
    fig = _figure()
    ax = fig.add_subplot()
    conf = summary["configuration"]
    x = np.arange(len(CONFIGURATIONS))
    base = [conf["base"][c] for c in CONFIGURATIONS]
    shocked = [conf["shocked"][c] for c in CONFIGURATIONS]
    ax.bar(x - 0.2, base, 0.4, label="baseline", color="#9aa5b1")
    ax.bar(x + 0.2, shocked, 0.4, label="scenario", color="#c0392b")
    ax.set_xticks(x, [_LABELS[c] for c in CONFIGURATIONS])
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    ax.set_title(title or "Triangle configuration (Dittmer)")
    ax.legend()
    return fig


#: Line colours of the bargaining module's models over the bargaining histogram.
_MODEL_COLOURS = {"pce": "#1b6ca8", "eu": "#2e8540"}

Overlay = tuple[str, np.ndarray, str, str]  # label, values, colour, line style


def distributions_figure(arrays: Mapping[str, np.ndarray], title: str = "") -> Any:
    """Histograms: each tie's weight, the Russia–China asymmetry and the bargaining forecast.

    The bargaining panel shows the weighted median on every draw (bars) and,
    when the run has them, the bargaining models' forecasts on their subsample
    of draws as outlines (solid: scenario, dotted: baseline).
    """
    panels: list[
        tuple[str, np.ndarray, np.ndarray | None, tuple[float, float] | None, list[Overlay]]
    ] = []
    for k, (a, b) in enumerate(TIES):
        panels.append(
            (
                f"{a}–{b} tie weight",
                arrays["weights"][:, k],
                arrays["weights_base"][:, k],
                (-1, 1),
                [],
            )
        )
    if "asymmetry" in arrays:
        panels.append(
            (
                "RUS–CHN asymmetry (S_RC − S_CR)",
                arrays["asymmetry"][:, 2],
                arrays["asymmetry_base"][:, 2],
                None,
                [],
            )
        )
    if "forecast_median" in arrays:
        overlays: list[Overlay] = []
        for model in BARGAINING_MODELS:
            if f"forecast_{model}" in arrays:
                colour = _MODEL_COLOURS.get(model, "black")
                m = len(arrays[f"forecast_{model}"])
                overlays.append(
                    (f"{model}, scenario ({m} draws)", arrays[f"forecast_{model}"], colour, "-")
                )
                overlays.append(
                    (f"{model}, baseline", arrays[f"forecast_{model}_base"], colour, ":")
                )
        panels.append(
            (
                "bargaining forecast (weighted median" + (", models)" if overlays else ")"),
                arrays["forecast_median"],
                arrays["forecast_median_base"],
                None,
                overlays,
            )
        )
    if "flip_time" in arrays and np.isfinite(arrays["flip_time"]).any():
        ft = arrays["flip_time"]
        panels.append(("first flip time (fraction of t*)", ft[np.isfinite(ft)], None, (0, 1), []))
    cols = 3
    rows = (len(panels) + cols - 1) // cols
    fig = _figure(11, 3.2 * rows)
    for i, (label, shocked, base, rng, overlays) in enumerate(panels):
        ax = fig.add_subplot(rows, cols, i + 1)
        if rng:
            lo, hi = rng
        else:
            every = [shocked] + ([base] if base is not None else []) + [o[1] for o in overlays]
            lo = float(min(x.min() for x in every))
            hi = float(max(x.max() for x in every))
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        bins = np.linspace(lo, hi, 41)
        if base is not None:
            ax.hist(base, bins=bins, color="#9aa5b1", alpha=0.7, label="baseline", density=True)
        ax.hist(shocked, bins=bins, color="#c0392b", alpha=0.6, label="scenario", density=True)
        for olabel, values, colour, style in overlays:
            ax.hist(
                values,
                bins=bins,
                density=True,
                histtype="step",
                color=colour,
                linestyle=style,
                linewidth=1.4,
                label=olabel,
            )
        ax.set_title(label, fontsize=9)
        ax.tick_params(labelsize=8)
        if i == 0 or overlays:
            ax.legend(fontsize=7 if overlays else 8)
    if title:
        fig.suptitle(title)
    return fig


def first_flip_figure(summary: Mapping[str, Any], title: str = "") -> Any:
    """Bars: which tie the balance dynamics flip first (or none)."""
    fig = _figure(6, 3.5)
    ax = fig.add_subplot()
    ff = summary["first_flip"]
    keys = [*("-".join(t) for t in TIES), "none"]
    ax.bar(keys, [ff[k] for k in keys], color=["#2c7fb8", "#7fcdbb", "#edf8b1", "#bbbbbb"])
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    ax.set_title(title or "First tie to flip under dX/dt = X²")
    return fig


def save_plots(
    summary: Mapping[str, Any],
    arrays: Mapping[str, np.ndarray],
    directory: str | Path,
    *,
    name: str = "scenario",
    formats: Sequence[str] = ("png",),
) -> list[Path]:
    """Write every plot of a run into ``directory``; return the files written."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        from powerbalance.errors import UserError

        raise UserError(f"plot format {', '.join(bad)} is not supported; use png or svg")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    figures = {}
    if "configuration" in summary:
        figures["configurations"] = configuration_figure(summary, f"{name}: triangle configuration")
    figures["distributions"] = distributions_figure(arrays, name)
    if "first_flip" in summary:
        figures["first-flip"] = first_flip_figure(summary, f"{name}: first tie to flip")
    written = []
    for stem, fig in figures.items():
        for fmt in formats:
            path = directory / f"{name}-{stem}.{fmt}"
            fig.savefig(path, dpi=110)
            written.append(path)
    return written
