"""Plotly figure specifications (plain dicts) for the dashboard and the HTML report.

The figures are built as the JSON that Plotly.js draws, from what the
application layer returns (:mod:`powerbalance.app`); no number is computed
here beyond placing things on the page. The dashboard and the report share
this module, so a figure looks the same on screen and on paper.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from powerbalance.actors import TRIANGLE_TIES
from powerbalance.i18n import format_decimal, normalise_lang, term
from powerbalance.i18n import label as t


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """Plotly.js as shipped inside the installed ``plotly`` Python package (never a CDN)."""
    import plotly

    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if bundled.is_file():
        return bundled.read_text(encoding="utf-8")
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


POSITIVE = "#1a7f37"
NEGATIVE = "#cf222e"
NEUTRAL = "#8c959f"

# Vertices of an equilateral triangle, first actor on top.
_VERTICES = [(0.0, 1.0), (-math.sqrt(3) / 2, -0.5), (math.sqrt(3) / 2, -0.5)]


def sign_colour(sign: int) -> str:
    return POSITIVE if sign > 0 else NEGATIVE if sign < 0 else NEUTRAL


def triangle_figure(
    actors: list[str],
    relations: list[dict[str, Any]],
    *,
    names: dict[str, str] | None = None,
    roles: dict[str, str] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """The triangle: one node per actor, one line per tie coloured by sign, width by strength."""
    names = names or {}
    roles = roles or {}
    pos = {a: _VERTICES[i % 3] for i, a in enumerate(actors[:3])}
    data: list[dict[str, Any]] = []
    for r in relations:
        if r["a"] not in pos or r["b"] not in pos:
            continue
        (x0, y0), (x1, y1) = pos[r["a"]], pos[r["b"]]
        sign = int(r["sign"])
        label = {1: t("amity", lang), -1: t("enmity", lang)}.get(sign, t("neutral", lang))
        weight = format_decimal(r["weight"], lang, signed=True)  # +0.33, Swedish +0,33
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [x0, x1],
                "y": [y0, y1],
                "line": {
                    "color": sign_colour(sign),
                    "width": 2 + 10 * float(r["strength"]),
                    "dash": "solid" if sign else "dot",
                },
                "hoverinfo": "text",
                "text": f"{r['a']}–{r['b']}: {label}, {t('weight', lang)} {weight}",
                "showlegend": False,
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "x": [(x0 + x1) / 2],
                "y": [(y0 + y1) / 2],
                "text": [weight],
                "textfont": {"size": 15, "color": sign_colour(sign)},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    labels = []
    for a in pos:
        role = roles.get(a)
        labels.append(f"<b>{names.get(a, a)}</b>" + (f"<br>{term(role, lang)}" if role else ""))
    data.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [p[0] for p in pos.values()],
            "y": [p[1] for p in pos.values()],
            "marker": {"size": 46, "color": "#0b3d91", "line": {"width": 2, "color": "white"}},
            "text": labels,
            "textposition": ["top center", "bottom center", "bottom center"][: len(pos)],
            "textfont": {"size": 14},
            "hoverinfo": "text",
            "showlegend": False,
        }
    )
    axis = {"visible": False, "range": [-1.4, 1.4], "fixedrange": True}
    return {
        "data": data,
        "layout": {
            "xaxis": axis,
            "yaxis": {**axis, "range": [-1.0, 1.45], "scaleanchor": "x"},
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "height": 420,
            "plot_bgcolor": "white",
        },
    }


def series_figure(series: list[dict[str, Any]], *, title: str = "") -> dict[str, Any]:
    """Lines of (date, value) points, one trace per series; markers show single points."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": s["label"],
            "x": [p["x"] for p in s["points"]],
            "y": [p["value"] for p in s["points"]],
            "text": [f"{p['period']} ({p['claim']})" for p in s["points"]],
            "hovertemplate": "%{y} — %{text}<extra>%{fullData.name}</extra>",
        }
        for s in series
    ]
    layout: dict[str, Any] = {
        "title": {"text": title},
        "height": 340,
        "margin": {"l": 50, "r": 10, "t": 40 if title else 10, "b": 40},
        "legend": {"orientation": "h"},
    }
    xs = [x for trace in data for x in trace["x"]]
    if xs and all(isinstance(x, str) and x.endswith("-01-01") for x in xs):
        # yearly figures: label the axis and the hover by year, not "Jan 1, 2024"
        layout["xaxis"] = {"type": "date", "dtick": "M12", "tickformat": "%Y", "hoverformat": "%Y"}
    return {"data": data, "layout": layout}


def timeline_figure(events: list[dict[str, Any]], *, lang: str = "en") -> dict[str, Any]:
    """Events as markers on a date axis, one row per event kind."""
    kinds = sorted({e["kind"] for e in events})
    data = []
    for k in kinds:
        rows = [e for e in events if e["kind"] == k]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": k,
                "x": [e["date"] for e in rows],
                "y": [k] * len(rows),
                "text": [f"{e['id']}: {e['text']}" for e in rows],
                "hoverinfo": "x+text",
                "marker": {"size": 10},
            }
        )
    return {
        "data": data,
        "layout": {
            "height": 120 + 28 * len(kinds),
            "margin": {"l": 110, "r": 10, "t": 10, "b": 40},
            "showlegend": False,
        },
    }


def bar_figure(
    labels: list[str], values: list[float], *, title: str = "", colour: str = "#0b3d91"
) -> dict[str, Any]:
    """A simple bar chart (probabilities of configurations, counts)."""
    return {
        "data": [{"type": "bar", "x": labels, "y": values, "marker": {"color": colour}}],
        "layout": {
            "title": {"text": title},
            "height": 300,
            "margin": {"l": 50, "r": 10, "t": 40 if title else 10, "b": 60},
        },
    }


def histogram_figure(
    values: dict[str, list[float]],
    *,
    title: str = "",
    nbins: int = 40,
    legend: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Overlaid histograms (distributions of a Monte Carlo output, one per series).

    ``legend`` names the series in the legend (by key; default the key).
    """
    legend = legend or {}
    return {
        "data": [
            {
                "type": "histogram",
                "name": legend.get(k, k),
                "x": v,
                "opacity": 0.6,
                "nbinsx": nbins,
            }
            for k, v in values.items()
        ],
        "layout": {
            "title": {"text": title},
            "barmode": "overlay",
            "height": 300,
            "margin": {"l": 50, "r": 10, "t": 40 if title else 10, "b": 40},
        },
    }


def grouped_bar_figure(
    labels: list[str],
    groups: dict[str, list[float]],
    *,
    title: str = "",
    legend: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Bars side by side, one colour per group (baseline vs scenario)."""
    colours = {"base": "#9aa5b1", "shocked": "#c0392b"}
    legend = legend or {}
    return {
        "data": [
            {
                "type": "bar",
                "name": legend.get(g, g),
                "x": labels,
                "y": v,
                "marker": {"color": colours.get(g)},
            }
            for g, v in groups.items()
        ],
        "layout": {
            "title": {"text": title},
            "barmode": "group",
            "height": 320,
            "yaxis": {"range": [0, 1]},
            "margin": {"l": 50, "r": 10, "t": 40 if title else 10, "b": 60},
        },
    }


def interval_figure(
    labels: list[str],
    groups: dict[str, list[tuple[float, float, float]]],
    *,
    title: str = "",
    y_range: tuple[float, float] | None = None,
    legend: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Medians as points with a 5-95% range as error bars, one colour per group.

    Each group gives ``(p05, p50, p95)`` per label (baseline vs scenario of a
    Monte Carlo output, e.g. each bargaining model's forecast).
    """
    colours = {"base": "#9aa5b1", "shocked": "#c0392b"}
    data = []
    for g, triples in groups.items():
        lo = [t[1] - t[0] for t in triples]
        hi = [t[2] - t[1] for t in triples]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": (legend or {}).get(g, g),
                "x": labels,
                "y": [t[1] for t in triples],
                "error_y": {"type": "data", "symmetric": False, "array": hi, "arrayminus": lo},
                "marker": {"color": colours.get(g), "size": 10},
            }
        )
    layout: dict[str, Any] = {
        "title": {"text": title},
        "height": 320,
        "scattermode": "group",
        "margin": {"l": 50, "r": 10, "t": 40 if title else 10, "b": 60},
    }
    if y_range is not None:
        layout["yaxis"] = {"range": list(y_range)}
    return {"data": data, "layout": layout}


def bargaining_figures(data: dict[str, Any]) -> dict[str, Any]:
    """Positions over rounds (first dimension) with the baselines as dashed lines."""
    result = data.get("result") if data.get("status") == "ok" else None
    if not isinstance(result, dict) or not isinstance(result.get("path"), dict):
        return {}
    series = [
        {
            "label": actor,
            "points": [
                {"x": step, "value": state[0], "period": f"round {step}", "claim": actor}
                for step, state in enumerate(path)
            ],
        }
        for actor, path in result["path"].items()
    ]
    fig = series_figure(series)
    rounds = int(result.get("rounds") or 0)
    lines = dict(result.get("baselines") or {})
    lines["forecast"] = result.get("forecast")
    for key, value in lines.items():
        if value:
            fig["data"].append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": key,
                    "x": [0, max(rounds, 1)],
                    "y": [value[0], value[0]],
                    "line": {"dash": "solid" if key == "forecast" else "dash", "color": "#444"},
                }
            )
    return {"rounds": fig}


TIES = tuple("–".join(pair) for pair in TRIANGLE_TIES)


def scenario_figures(result: dict[str, Any], *, lang: str = "en") -> dict[str, Any]:
    """Plotly figures of a run: configuration probabilities, first flips, tie distributions.

    Titles, legends and configuration names are in ``lang``.
    """
    lang = normalise_lang(lang)
    legend = {"base": t("base", lang), "shocked": t("shocked", lang)}
    summary = result.get("summary") or {}
    figures: dict[str, Any] = {}
    conf = summary.get("configuration")
    if isinstance(conf, dict) and "shocked" in conf:
        names = list(conf["shocked"])
        figures["configuration"] = grouped_bar_figure(
            [term(n, lang) for n in names],
            {k: [conf[k].get(n, 0.0) for n in names] for k in ("base", "shocked") if k in conf},
            title=t("p_configuration", lang),
            legend=legend,
        )
    flips = summary.get("first_flip")
    if isinstance(flips, dict):
        figures["first_flip"] = bar_figure(
            list(flips), [float(v) for v in flips.values()], title=t("p_first_flip", lang)
        )
    barg = summary.get("bargaining")
    if isinstance(barg, dict):
        # The baselines run on every draw, the models on the run's subsample of draws.
        labels = {
            "weighted_mean": t("weighted_mean", lang),
            "weighted_median": t("weighted_median", lang),
            "pce": t("model_pce", lang),
            "eu": t("model_eu", lang),
        }
        shown = [k for k in labels if isinstance(barg.get(k), dict) and "shocked" in barg[k]]
        groups: dict[str, list[tuple[float, float, float]]] = {}
        for side in ("base", "shocked"):
            q = [barg[k].get(side) or {} for k in shown]
            if shown and all("p50" in x for x in q):
                groups[side] = [(x["p05"], x["p50"], x["p95"]) for x in q]
        if groups:
            figures["bargaining"] = interval_figure(
                [labels[k] for k in shown],
                groups,
                title=f"{t('bargaining_forecast', lang)} ({barg.get('set') or 'set'})",
                y_range=(0, 100),
                legend=legend,
            )
    samples = result.get("samples") or {}
    if "weights" in samples:
        columns = list(zip(*samples["weights"], strict=False))
        base = list(zip(*samples.get("weights_base", []), strict=False))
        for k, tie in enumerate(TIES[: len(columns)]):
            values = {"shocked": list(columns[k])}
            if k < len(base):
                values = {"base": list(base[k]), **values}
            figures[f"tie_{k}"] = histogram_figure(
                values, title=f"{tie} {t('tie_weight', lang)}", legend=legend
            )
    return figures


#: The colour of each configuration's span on the history timeline.
CONFIGURATION_COLOURS = {
    "unit veto": "#cf222e",
    "stable marriage": "#bf8700",
    "romantic triangle": "#0969da",
    "menage a trois": "#1a7f37",
}
#: The colour of each channel's band on the history timeline.
CHANNEL_COLOURS = {
    "un_votes": "#0969da",
    "alliances": "#1a7f37",
    "disputes": "#cf222e",
    "rivalries": "#8250df",
    "arms": "#bc4c00",
    "trade": "#9a6700",
    "events": "#57606a",
    "gdelt": "#1b7c83",
}


def history_figure(view: dict[str, Any], *, lang: str = "en") -> dict[str, Any]:
    """The triangle through time (:func:`powerbalance.app.history.history_view`).

    A band on top coloured by each year's configuration, then one panel per tie:
    the fused signed strength with its uncertainty, and each channel's
    contribution as stacked bars (amity up, enmity down); the evidence's dated
    events as dotted lines. Every point carries its year (``customdata``), so the
    dashboard opens a year on a click.
    """
    lang = normalise_lang(lang)
    years = view["years"]
    xs = [y["year"] for y in years]
    ties = [f"{view['actors'][i]}–{view['actors'][j]}" for i, j in ((0, 1), (0, 2), (1, 2))]
    domains = [(0.62, 0.82), (0.33, 0.53), (0.04, 0.24)]
    data: list[dict[str, Any]] = []
    # the configuration band: one marker per year, coloured by configuration
    for name, colour in CONFIGURATION_COLOURS.items():
        these = [y for y in years if y["configuration"] == name]
        if not these:
            continue
        data.append(
            {
                "type": "bar",
                "name": term(name, lang),
                "legendgroup": "configuration",
                "x": [y["year"] for y in these],
                "y": [1] * len(these),
                "width": 1.0,
                "marker": {"color": colour, "line": {"width": 0}},
                "customdata": [y["year"] for y in these],
                "text": [
                    f"{y['year']}: {term(name, lang)}; "
                    + ", ".join(f"{a} {term(r, lang)}" for a, r in y["roles"].items())
                    for y in these
                ],
                "hoverinfo": "text",
                "xaxis": "x",
                "yaxis": "y4",
            }
        )
    channels = view.get("channels") or []
    for k, tie in enumerate(ties):
        axis = "y" if k == 0 else f"y{k + 1}"
        rows = [
            next((t for t in y["ties"] if t["tie"] == tie.replace("–", "-")), None) for y in years
        ]
        for ch in channels:
            values = [(r["contributions"].get(ch) if r else None) for r in rows]
            if not any(values):
                continue
            data.append(
                {
                    "type": "bar",
                    "name": t(f"channel_{ch}", lang),
                    "legendgroup": ch,
                    "showlegend": k == 0,
                    "x": xs,
                    "y": [round(v, 4) if v is not None else None for v in values],
                    "customdata": xs,
                    "marker": {"color": CHANNEL_COLOURS.get(ch, NEUTRAL)},
                    "opacity": 0.55,
                    "hovertemplate": f"{tie} %{{x}}: {t(f'channel_{ch}', lang)} %{{y:+.2f}}<extra></extra>",
                    "xaxis": "x",
                    "yaxis": axis,
                }
            )
        # every year on the axis, None where the tie has no information: lines break there
        lo = [round(r["value"] - r["uncertainty"], 4) if r else None for r in rows]
        hi = [round(r["value"] + r["uncertainty"], 4) if r else None for r in rows]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": lo,
                "line": {"width": 0},
                "connectgaps": False,
                "hoverinfo": "skip",
                "showlegend": False,
                "xaxis": "x",
                "yaxis": axis,
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": t("uncertainty", lang),
                "legendgroup": "uncertainty",
                "showlegend": k == 0,
                "x": xs,
                "y": hi,
                "fill": "tonexty",
                "fillcolor": "rgba(0,0,0,0.10)",
                "line": {"width": 0},
                "connectgaps": False,
                "hoverinfo": "skip",
                "xaxis": "x",
                "yaxis": axis,
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": t("fused_tie", lang),
                "legendgroup": "fused",
                "showlegend": k == 0,
                "x": xs,
                "y": [round(r["value"], 4) if r else None for r in rows],
                "customdata": xs,
                "connectgaps": False,
                "line": {"color": "#24292f", "width": 2},
                "marker": {
                    "size": 5,
                    "color": [sign_colour(r["triangle_sign"]) if r else NEUTRAL for r in rows],
                },
                "text": [
                    f"{tie} {x}: {format_decimal(r['value'], lang, signed=True)} ± "
                    f"{format_decimal(r['uncertainty'], lang)}"
                    + (f" ({t('contested', lang)})" if r["contested"] else "")
                    if r
                    else f"{tie} {x}: {t('no_information', lang)}"
                    for x, r in zip(xs, rows, strict=True)
                ],
                "hoverinfo": "text",
                "xaxis": "x",
                "yaxis": axis,
            }
        )
    shapes = []
    annotations = []
    for k, (_, hi_) in enumerate(domains):
        annotations.append(
            {
                "text": f"<b>{ties[k]}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": hi_ + 0.005,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
    for e in view.get("events") or []:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": e["year"],
                "x1": e["year"],
                "y0": 0.02,
                "y1": 0.86,
                "line": {"color": "#57606a", "width": 1, "dash": "dot"},
            }
        )
    if view.get("events"):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": t("events", lang),
                "x": [e["year"] for e in view["events"]],
                "y": [0.5] * len(view["events"]),
                "customdata": [e["year"] for e in view["events"]],
                "marker": {"symbol": "triangle-down", "size": 9, "color": "#24292f"},
                "text": [f"{e['date']}: {e['text']}" for e in view["events"]],
                "hoverinfo": "text",
                "xaxis": "x",
                "yaxis": "y5",
            }
        )
    panel = {
        "range": [-1.05, 1.05],
        "zeroline": True,
        "zerolinecolor": "#8c959f",
        "fixedrange": True,
    }
    layout: dict[str, Any] = {
        "height": 760,
        "barmode": "relative",
        "bargap": 0.05,
        "hovermode": "closest",
        "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.06},
        "xaxis": {"range": [view["start"] - 0.5, view["end"] + 0.5], "anchor": "y3", "dtick": 5},
        "yaxis": {**panel, "domain": list(domains[0])},
        "yaxis2": {**panel, "domain": list(domains[1])},
        "yaxis3": {**panel, "domain": list(domains[2])},
        "yaxis4": {"domain": [0.92, 1.0], "visible": False, "range": [0, 1], "fixedrange": True},
        "yaxis5": {"domain": [0.86, 0.91], "visible": False, "range": [0, 1], "fixedrange": True},
        "shapes": shapes,
        "annotations": annotations,
        "plot_bgcolor": "white",
    }
    return {"data": data, "layout": layout}
