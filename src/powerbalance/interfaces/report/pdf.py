"""The PDF report, drawn with matplotlib (``PdfPages``): no browser needed.

Pages: the triangle with its ties and roles; headline numbers with sources;
dependence indicators and channels over time; the theory results; the
scenario (when asked); the evidence table with sources, as many pages as it
needs. Every figure is the report data's (see :func:`report_data`).
"""

from __future__ import annotations

import math
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from powerbalance.i18n import (
    arithmetic_line,
    format_decimal,
    format_general,
    format_number,
    format_value,
    indicator_label,
    indicator_text,
    narrative_line,
    period_label,
    term,
)
from powerbalance.interfaces.report import charts
from powerbalance.interfaces.report.i18n import claim_value, t


def verification_label(v: dict[str, Any], lang: str) -> str:
    from powerbalance.interfaces.report.build import verification_label as label

    return label(v, lang)


A4 = (8.27, 11.69)
ROWS_PER_PAGE = 34


def _page(title: str, subtitle: str = "") -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4)
    fig.text(0.06, 0.965, title, fontsize=15, weight="bold", va="top")
    if subtitle:
        fig.text(0.06, 0.94, subtitle, fontsize=8.5, color="#555", va="top")
    return fig


def _wrap(text: Any, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text if text is not None else ""), width)) or ""


def _table(
    fig: Any,
    rect: list[float],
    header: list[str],
    rows: list[list[Any]],
    widths: list[int],
    *,
    continued: bool = False,
) -> int:
    """Rows of wrapped text in columns (character widths), drawn top-down inside ``rect``.

    Returns how many rows were drawn. Rows that do not fit are marked "…",
    unless ``continued`` (the caller draws them on the next page).
    """
    ax = fig.add_axes(rect)
    ax.axis("off")
    # A column is at least as wide as its header's longest word (Swedish headers
    # are longer: "tecken", "styrka"); longer headers wrap within their column.
    widths = [
        max(w, max((len(word) for word in str(h).split()), default=0) + 2)
        for w, h in zip(widths, header, strict=True)
    ]
    total = sum(widths)
    xs = [sum(widths[:i]) / total for i in range(len(widths))]
    y = 1.0
    line_h = 0.0105 / rect[3]
    heads = [_wrap(h, max(4, w - 1)) for h, w in zip(header, widths, strict=True)]
    for x, h in zip(xs, heads, strict=True):
        ax.text(x, y, h, fontsize=7, weight="bold", va="top", transform=ax.transAxes)
    y -= line_h * (max(h.count("\n") + 1 for h in heads) + 0.4)
    drawn = 0
    for row in rows:
        # one character of gap between columns (digits are wider than the average letter)
        cells = [_wrap(c, max(5, w - 1)) for c, w in zip(row, widths, strict=True)]
        height = max(c.count("\n") + 1 for c in cells)
        if y - height * line_h < 0 and drawn > 0:
            if not continued:
                ax.text(0, y, "…", fontsize=7, va="top", transform=ax.transAxes)
            break
        drawn += 1
        for x, c in zip(xs, cells, strict=True):
            ax.text(x, y, c, fontsize=6.3, va="top", transform=ax.transAxes, family="DejaVu Sans")
        y -= line_h * (height + 0.35)
        ax.plot([0, 1], [y + line_h * 0.2] * 2, color="#ddd", lw=0.4, transform=ax.transAxes)
    return drawn


def _triangle_axes(fig: Any, rect: list[float], data: dict[str, Any]) -> None:
    rel = data["overview"]["relations"]
    ax = fig.add_axes(rect)
    ax.axis("off")
    ax.set_aspect("equal")
    if rel.get("status") != "ok":
        ax.text(0.5, 0.5, t("not_landed", data["lang"]), ha="center", transform=ax.transAxes)
        return
    tri = data["overview"]["triangle"]
    roles = tri["result"]["roles"] if tri.get("status") == "ok" else {}
    vertices = [(0.0, 1.0), (-math.sqrt(3) / 2, -0.5), (math.sqrt(3) / 2, -0.5)]
    pos = {a: vertices[i] for i, a in enumerate(rel["actors"][:3])}
    for r in rel["relations"]:
        if r["a"] not in pos or r["b"] not in pos:
            continue
        (x0, y0), (x1, y1) = pos[r["a"]], pos[r["b"]]
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=charts.sign_colour(int(r["sign"])),
            lw=1.5 + 7 * float(r["strength"]),
            ls="-" if r["sign"] else ":",
            zorder=1,
        )
        ax.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            format_decimal(r["weight"], data["lang"], signed=True),
            fontsize=11,
            ha="center",
            va="center",
            color=charts.sign_colour(int(r["sign"])),
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    for a, (x, y) in pos.items():
        ax.scatter([x], [y], s=1400, color="#0b3d91", zorder=2)
        ax.text(
            x, y, a, color="white", ha="center", va="center", fontsize=11, weight="bold", zorder=3
        )
        if a in roles:
            role = term(roles[a], data["lang"])
            ax.text(x, y - 0.25 if y < 0 else y + 0.22, role, ha="center", fontsize=10)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-0.95, 1.4)


def _overview_page(data: dict[str, Any]) -> Any:
    lang = data["lang"]
    fig = _page(data["title"], f"{t('generated', lang)} {data['version']} · {data['generated']}")
    ov = data["overview"]
    tri = ov["triangle"]
    heading = t("triangle", lang)
    if tri.get("status") == "ok":
        heading += f": {term(tri['result']['configuration'], lang)}"
    fig.text(0.06, 0.9, heading, fontsize=12, weight="bold")
    _triangle_axes(fig, [0.1, 0.52, 0.8, 0.36], data)
    rel = ov["relations"]
    if rel.get("status") == "ok":
        rows = [
            [
                f"{r['a']}–{r['b']}",
                f"{r['sign']:+d}",
                format_decimal(r["strength"], lang),
                format_decimal(r["weight"], lang, signed=True),
                r["rule"],
                ", ".join(r["evidence"]),
            ]
            for r in rel["relations"]
        ]
        _table(
            fig,
            [0.06, 0.36, 0.88, 0.14],
            [
                t("pair", lang),
                t("sign", lang),
                t("strength", lang),
                t("weight", lang),
                t("rule", lang),
                t("evidence", lang),
            ],
            rows,
            [9, 5, 8, 7, 18, 60],
        )
    if tri.get("status") == "ok":
        r = tri["result"]
        rows = [
            [
                a,
                term(r["roles"][a], lang),
                f"{r['scores'][a]:+.0f}",
                arithmetic_line(r["arithmetic"][a], lang),
            ]
            for a in r["actors"]
        ]
        fig.text(0.06, 0.33, t("roles", lang), fontsize=11, weight="bold")
        _table(
            fig,
            [0.06, 0.2, 0.88, 0.12],
            [t("actor", lang), t("role", lang), t("score", lang), t("arithmetic", lang)],
            rows,
            [7, 9, 6, 80],
        )
        narrative = " ".join(narrative_line(line, lang) for line in r.get("narrative", []))
        fig.text(0.06, 0.18, _wrap(narrative, 130), fontsize=7, va="top")
    return fig


def _headline_page(data: dict[str, Any]) -> Any:
    lang = data["lang"]
    fig = _page(t("headline", lang))
    rows = [
        [
            indicator_label(c["indicator"], lang),
            f"{c['actor']}" + (f"→{c['partner']}" if c["partner"] else ""),
            claim_value(c, lang),
            period_label(c["period"], lang),
            f"{c['source'].get('publication', c['source']['id'])} ({c['source']['id']}), {c['section']}",
        ]
        for c in data["overview"]["headline"]
    ]
    _table(
        fig,
        [0.06, 0.04, 0.88, 0.88],
        [
            t("indicator", lang),
            t("actor", lang),
            t("value", lang),
            t("period", lang),
            t("source", lang),
        ],
        rows,
        [30, 10, 16, 10, 44],
    )
    return fig


def _num(v: Any, lang: str = "en") -> str:
    return format_general(v, lang)


def _axis_numbers(ax: Any, lang: str, *axes: str) -> None:
    """Tick labels of ``axes`` ("x", "y") in the language's decimals (Swedish 0,8)."""
    if lang == "en":
        return
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda x, _pos: format_number(x, lang, 2))
    for name in axes:
        getattr(ax, f"{name}axis").set_major_formatter(fmt)


def _dependence_page(data: dict[str, Any]) -> Any | None:
    series = [s for s in data["dependence"]["series"]]
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for s in series:
        by_indicator.setdefault(s["indicator"], []).append(s)
    drawable = {
        k: v for k, v in sorted(by_indicator.items()) if sum(len(s["points"]) for s in v) > 1
    }
    if not drawable and data["dependence"]["indicators"].get("status") != "ok":
        return None
    lang = data["lang"]
    fig = _page(t("dependence", lang))
    dep = data["dependence"]["indicators"]
    if dep.get("status") == "ok":
        rows = [
            [
                f"{indicator_label(r['key'], lang)} ({', '.join(r['args'])})",
                format_value(r["value"], r["unit"], lang),
                indicator_text(r, lang)[0],
                period_label(r.get("period"), lang),
            ]
            for r in dep["results"]
        ]
        _table(
            fig,
            [0.06, 0.55, 0.88, 0.37],
            [t("indicator", lang), t("value", lang), t("formula", lang), t("period", lang)],
            rows,
            [38, 18, 46, 12],
        )
    n = min(len(drawable), 3)
    for i, (key, group) in enumerate(list(drawable.items())[:n]):
        ax = fig.add_axes([0.1, 0.52 - (i + 1) * (0.48 / n) + 0.03, 0.8, 0.48 / n - 0.07])
        yearly = True
        for s in group:
            xs = [date.fromisoformat(p["x"]) for p in s["points"]]
            yearly = yearly and all((x.month, x.day) == (1, 1) for x in xs)
            ax.plot(xs, [p["value"] for p in s["points"]], marker="o", label=s["label"])
        if yearly:  # a year's figure sits at its 1 January: label the ticks by year
            from matplotlib.dates import DateFormatter, YearLocator

            ax.xaxis.set_major_locator(YearLocator())
            ax.xaxis.set_major_formatter(DateFormatter("%Y"))
        ax.set_title(indicator_label(key, lang), fontsize=9)
        ax.tick_params(labelsize=7)
        _axis_numbers(ax, lang, "y")
        ax.legend(fontsize=6.5, loc="best")
    return fig


def _scenario_pages(data: dict[str, Any]) -> list[Any]:
    s = data.get("scenario")
    if not s:
        return []
    lang = data["lang"]
    fig = _page(
        f"{t('scenario', lang)}: {s['name']}",
        f"{t('draws', lang)} {s['draws']} · {t('seed', lang)} {s['seed']}"
        + (f" · {t('run_id', lang)} {s['run_id']}" if s.get("run_id") else ""),
    )
    summary = s.get("summary") or {}
    conf = summary.get("configuration")
    if conf:
        ax = fig.add_axes([0.1, 0.6, 0.8, 0.3])
        names = list(conf["shocked"])
        xs = range(len(names))
        ax.bar(
            [x - 0.2 for x in xs],
            [conf["base"][n] for n in names],
            0.4,
            label=t("base", lang),
            color="#9aa5b1",
        )
        ax.bar(
            [x + 0.2 for x in xs],
            [conf["shocked"][n] for n in names],
            0.4,
            label=t("scenario", lang),
            color="#c0392b",
        )
        ax.set_xticks(list(xs), [term(n, lang) for n in names], fontsize=8)
        ax.set_ylim(0, 1)
        _axis_numbers(ax, lang, "y")
        ax.set_title(t("p_configuration", lang), fontsize=10)
        ax.legend(fontsize=8)
    ties = summary.get("ties") or {}
    samples = s.get("samples") or {}
    if "weights" in samples:
        cols = list(zip(*samples["weights"], strict=False))
        base = list(zip(*samples.get("weights_base", []), strict=False))
        for k, tie in enumerate(list(ties)[: len(cols)]):
            ax = fig.add_axes([0.1 + k * 0.28, 0.3, 0.22, 0.2])
            if k < len(base):
                ax.hist(base[k], bins=30, alpha=0.6, color="#9aa5b1", label=t("base", lang))
            ax.hist(cols[k], bins=30, alpha=0.6, color="#c0392b", label=t("scenario", lang))
            ax.set_title(f"{tie}", fontsize=8)
            ax.tick_params(labelsize=6)
            _axis_numbers(ax, lang, "x", "y")
    rows = [
        [
            tie,
            _num(v["base"].get("mean"), lang),
            _num(v["shocked"].get("mean"), lang),
            f"{_num(v['shocked'].get('p05'), lang)} – {_num(v['shocked'].get('p95'), lang)}",
            _num(v.get("p_amity"), lang),
            _num(v.get("p_sign_changed"), lang),
        ]
        for tie, v in ties.items()
    ]
    if rows:
        _table(
            fig,
            [0.06, 0.05, 0.88, 0.18],
            [
                t("pair", lang),
                t("mean_base", lang),
                t("mean_scenario", lang),
                t("p05_p95", lang),
                t("p_amity", lang),
                t("p_sign_changed", lang),
            ],
            rows,
            [12, 12, 14, 20, 10, 14],
        )
    return [fig]


def _evidence_pages(data: dict[str, Any]) -> list[Any]:
    lang = data["lang"]
    rows = [
        [
            c["id"],
            f"{c['indicator']}\n{c['actor']}" + (f"→{c['partner']}" if c["partner"] else ""),
            claim_value(c, lang),
            period_label(c["period"], lang),
            c["text"],
            f"{c['source']['id']}, {c['section']}",
            verification_label(c["verification"], lang),
        ]
        for c in data["claims"]
    ] + [
        [
            e["id"],
            f"{t('event', lang)}: {e['kind']}\n{', '.join(e['actors'])}",
            "",
            e["date"],
            e["text"],
            f"{e['source']['id']}, {e['section']}",
            "",
        ]
        for e in data["events"]
    ]
    pages: list[Any] = []  # matplotlib figures, one a page
    start = 0
    while start < len(rows) or not pages:
        # as many rows as fit: a page is as long as its wrapped rows, never cut short
        fig = _page("")
        n = _table(
            fig,
            [0.05, 0.04, 0.9, 0.88],
            [
                t("id", lang),
                t("indicator", lang),
                t("value", lang),
                t("period", lang),
                t("statement", lang),
                t("source", lang),
                t("verification", lang),
            ],
            rows[start:],
            [22, 22, 12, 11, 40, 18, 16],
            continued=True,
        )
        fig.texts[0].set_text(
            f"{t('evidence_table', lang)} ({min(start + 1, len(rows))}–{start + n} / {len(rows)})"
        )
        pages.append(fig)
        if n == 0:
            break
        start += n
    sources = [s for s in data["sources"] if s]
    fig = _page(t("sources", lang))
    text = "\n\n".join(
        _wrap(
            f"{s['id']}: {s['author'] + ', ' if s.get('author') else ''}\u201c{s['title']}\u201d, {s['publication']}, {s['date']} ({s['language']})"
            + (f", {s['url']}" if s.get("url") else ""),
            110,
        )
        for s in sources
    )
    fig.text(0.06, 0.9, text, fontsize=8, va="top")
    pages.append(fig)
    return pages


def write_pdf(data: dict[str, Any], out: Path) -> Path:
    """Write the report data as a PDF; returns ``out``."""
    from matplotlib.backends.backend_pdf import PdfPages

    pages = [_overview_page(data), _headline_page(data)]
    dep = _dependence_page(data)
    if dep is not None:
        pages.append(dep)
    pages += _scenario_pages(data)
    pages += _evidence_pages(data)
    with PdfPages(
        out, metadata={"Title": data["title"], "Creator": f"powerbalance {data['version']}"}
    ) as pdf:
        for fig in pages:
            pdf.savefig(fig)
    return out
