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

from powerbalance.interfaces.report import charts
from powerbalance.interfaces.report.i18n import t


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
    fig: Any, rect: list[float], header: list[str], rows: list[list[Any]], widths: list[int]
) -> None:
    """Rows of wrapped text in columns (character widths), drawn top-down inside ``rect``."""
    ax = fig.add_axes(rect)
    ax.axis("off")
    total = sum(widths)
    xs = [sum(widths[:i]) / total for i in range(len(widths))]
    y = 1.0
    line_h = 0.0105 / rect[3]
    for x, h in zip(xs, header, strict=True):
        ax.text(x, y, h, fontsize=7, weight="bold", va="top", transform=ax.transAxes)
    y -= line_h * 1.4
    for row in rows:
        cells = [_wrap(c, max(6, w)) for c, w in zip(row, widths, strict=True)]
        height = max(c.count("\n") + 1 for c in cells)
        if y - height * line_h < 0:
            ax.text(0, y, "…", fontsize=7, va="top", transform=ax.transAxes)
            break
        for x, c in zip(xs, cells, strict=True):
            ax.text(x, y, c, fontsize=6.3, va="top", transform=ax.transAxes, family="DejaVu Sans")
        y -= line_h * (height + 0.35)
        ax.plot([0, 1], [y + line_h * 0.2] * 2, color="#ddd", lw=0.4, transform=ax.transAxes)


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
            f"{r['weight']:+.2f}",
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
            ax.text(x, y - 0.25 if y < 0 else y + 0.22, roles[a], ha="center", fontsize=10)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-0.95, 1.4)


def _overview_page(data: dict[str, Any]) -> Any:
    lang = data["lang"]
    fig = _page(data["title"], f"{t('generated', lang)} {data['version']} · {data['generated']}")
    ov = data["overview"]
    tri = ov["triangle"]
    heading = t("triangle", lang)
    if tri.get("status") == "ok":
        heading += f": {tri['result']['configuration']}"
    fig.text(0.06, 0.9, heading, fontsize=12, weight="bold")
    _triangle_axes(fig, [0.1, 0.52, 0.8, 0.36], data)
    rel = ov["relations"]
    if rel.get("status") == "ok":
        rows = [
            [
                f"{r['a']}–{r['b']}",
                f"{r['sign']:+d}",
                f"{r['strength']:.2f}",
                f"{r['weight']:+.2f}",
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
            [a, r["roles"][a], f"{r['scores'][a]:+.0f}", r["arithmetic"][a]] for a in r["actors"]
        ]
        fig.text(0.06, 0.33, t("roles", lang), fontsize=11, weight="bold")
        _table(
            fig,
            [0.06, 0.2, 0.88, 0.12],
            [t("actor", lang), "role", t("score", lang), "arithmetic"],
            rows,
            [7, 9, 6, 80],
        )
        fig.text(0.06, 0.18, _wrap(" ".join(r.get("narrative", [])), 130), fontsize=7, va="top")
    return fig


def _headline_page(data: dict[str, Any]) -> Any:
    lang = data["lang"]
    fig = _page(t("headline", lang))
    rows = [
        [
            c["indicator"],
            f"{c['actor']}" + (f"→{c['partner']}" if c["partner"] else ""),
            _value(c),
            c["period"],
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


def _num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1e5 else f"{v:.4g}"
    return str(v)


def _value(c: dict[str, Any]) -> str:
    v = _num(c["value"])
    if isinstance(c["value"], float) and c["value"].is_integer():
        v = str(int(c["value"]))
    if c["unit"] == "money":
        scale = {1e9: " bn", 1e12: " tn", 1e6: " m"}.get(
            c["scale"], f" ×{c['scale']:g}" if c["scale"] != 1 else ""
        )
        return f"{v}{scale} {c.get('currency') or ''}".strip()
    return f"{v}%" if c["unit"] == "percent" else f"{v} {c['unit']}"


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
                f"{r['key']} ({', '.join(r['args'])})",
                _num(r["value"]) + f" {r['unit']}",
                r["formula"],
                r.get("period") or "",
            ]
            for r in dep["results"]
        ]
        _table(
            fig,
            [0.06, 0.55, 0.88, 0.37],
            [t("indicator", lang), t("value", lang), "formula", t("period", lang)],
            rows,
            [38, 18, 46, 12],
        )
    n = min(len(drawable), 3)
    for i, (key, group) in enumerate(list(drawable.items())[:n]):
        ax = fig.add_axes([0.1, 0.52 - (i + 1) * (0.48 / n) + 0.03, 0.8, 0.48 / n - 0.07])
        for s in group:
            xs = [date.fromisoformat(p["x"]) for p in s["points"]]
            ax.plot(xs, [p["value"] for p in s["points"]], marker="o", label=s["label"])
        ax.set_title(key, fontsize=9)
        ax.tick_params(labelsize=7)
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
        + (f" · run {s['run_id']}" if s.get("run_id") else ""),
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
            label="base",
            color="#9aa5b1",
        )
        ax.bar(
            [x + 0.2 for x in xs],
            [conf["shocked"][n] for n in names],
            0.4,
            label="scenario",
            color="#c0392b",
        )
        ax.set_xticks(list(xs), [n.replace("_", " ") for n in names], fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_title("P(configuration)", fontsize=10)
        ax.legend(fontsize=8)
    ties = summary.get("ties") or {}
    samples = s.get("samples") or {}
    if "weights" in samples:
        cols = list(zip(*samples["weights"], strict=False))
        base = list(zip(*samples.get("weights_base", []), strict=False))
        for k, tie in enumerate(list(ties)[: len(cols)]):
            ax = fig.add_axes([0.1 + k * 0.28, 0.3, 0.22, 0.2])
            if k < len(base):
                ax.hist(base[k], bins=30, alpha=0.6, color="#9aa5b1", label="base")
            ax.hist(cols[k], bins=30, alpha=0.6, color="#c0392b", label="scenario")
            ax.set_title(f"{tie}", fontsize=8)
            ax.tick_params(labelsize=6)
    rows = [
        [
            tie,
            _num(v["base"].get("mean")),
            _num(v["shocked"].get("mean")),
            f"{_num(v['shocked'].get('p05'))} – {_num(v['shocked'].get('p95'))}",
            _num(v.get("p_amity")),
            _num(v.get("p_sign_changed")),
        ]
        for tie, v in ties.items()
    ]
    if rows:
        _table(
            fig,
            [0.06, 0.05, 0.88, 0.18],
            [
                t("pair", lang),
                "mean (base)",
                "mean (scenario)",
                "p05–p95",
                "P(amity)",
                "P(sign changed)",
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
            _value(c),
            c["period"],
            c["text"],
            f"{c['source']['id']}, {c['section']}",
            verification_label(c["verification"], lang),
        ]
        for c in data["claims"]
    ] + [
        [
            e["id"],
            f"event: {e['kind']}\n{', '.join(e['actors'])}",
            "",
            e["date"],
            e["text"],
            f"{e['source']['id']}, {e['section']}",
            "",
        ]
        for e in data["events"]
    ]
    pages = []
    per_page = 22
    for start in range(0, max(len(rows), 1), per_page):
        fig = _page(
            f"{t('evidence_table', lang)} ({start + 1}–{min(start + per_page, len(rows))} / {len(rows)})"
        )
        _table(
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
            rows[start : start + per_page],
            [22, 22, 11, 9, 44, 20, 11],
        )
        pages.append(fig)
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
