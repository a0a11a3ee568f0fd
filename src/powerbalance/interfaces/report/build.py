"""Reports: a self-contained HTML file (charts inline, opens offline) or a PDF.

The content comes from the application layer
(:func:`powerbalance.app.report.report_data`, the same pages the dashboard
shows); this module only lays it out. There is one layout: the HTML
template. The PDF is that HTML printed by headless Chromium, so the paper
report shows what the browser shows, charts included.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from powerbalance import i18n
from powerbalance.app.present import plain
from powerbalance.errors import UserError
from powerbalance.interfaces import figures as charts

#: The folder of this module, where its package data lie.
_HERE = Path(__file__).parent

Format = Literal["html", "pdf"]
FORMATS: tuple[str, ...] = ("html", "pdf")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


class ReportError(UserError):
    """A report cannot be written as asked (format, output file)."""


def _figure(v: dict[str, Any], value: Any, lang: str) -> str:
    """A computed figure in the claim's unit when the entry names it, else as given."""
    if v.get("unit") is None or not isinstance(value, (int, float)):
        return str(value)
    return i18n.format_value(
        value, v["unit"], lang, currency=v.get("currency"), scale=v.get("scale") or 1.0
    )


def verification_label(v: dict[str, Any], lang: str) -> str:
    """A claim's verification status in words.

    A definition-dependent result names every figure with its definition and
    whether it agrees with the claim; a contradicted one the computed figure.

    Examples
    --------
    >>> verification_label({"status": "verified", "dataset": "sipri-register"}, "en")
    'verified (sipri-register)'
    >>> verification_label({"status": "unverifiable", "settle_with": "imf-dots"}, "sv")
    'ej verifierbar (kräver imf-dots)'
    >>> v = {"status": "depends_on_definition", "dataset": "atlas", "unit": "percent",
    ...      "computed": 45.1, "definition": "mirror totals", "agrees": False,
    ...      "alternatives": [{"definition": "customs", "computed": 34.2, "agrees": True}]}
    >>> verification_label(v, "en")
    'depends on definition (atlas): 45.1% (mirror totals): disagrees; 34.2% (customs): agrees'
    >>> verification_label({**v, "status": "contradicted", "alternatives": []}, "sv")
    'motsagd: atlas 45,1 %'
    """
    status = v.get("status")
    if status == "checkable":
        return f"{i18n.label('checkable', lang)} {v.get('dataset')}"
    if status == "verified":
        return f"{i18n.label('verified', lang)} ({v.get('dataset')})"
    if status == "contradicted":
        return f"{i18n.label('contradicted', lang)}: {v.get('dataset')} {_figure(v, v.get('computed'), lang)}"
    if status == "depends_on_definition":
        main = {k: v.get(k) for k in ("definition", "computed", "agrees")}
        parts = []
        for f in [main, *(v.get("alternatives") or [])]:
            text = _figure(v, f.get("computed"), lang)
            if f.get("definition"):
                text += f" ({f['definition']})"
            if f.get("agrees") is not None:
                text += ": " + i18n.label("agrees" if f["agrees"] else "disagrees", lang)
            parts.append(text)
        head = f"{i18n.label('depends_on_definition', lang)} ({v.get('dataset')})"
        return f"{head}: {'; '.join(parts)}"
    if status == "unverifiable" and v.get("settle_with"):
        return f"{i18n.label('unverifiable', lang)} ({i18n.label('settle_with', lang)} {v['settle_with']})"
    return i18n.label(str(status), lang)


def figures(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The Plotly figures of a report, by id."""
    out: dict[str, dict[str, Any]] = {}
    rel = data["overview"]["relations"]
    if rel.get("status") == "ok":
        tri = data["overview"]["triangle"]
        roles = tri["result"]["roles"] if tri.get("status") == "ok" else {}
        names: dict[str, str] = {}
        for row in data["claims"]:
            names.setdefault(row["actor"], row["actor_name"])
        out["triangle"] = charts.triangle_figure(
            rel["actors"], rel["relations"], names=names, roles=roles, lang=data["lang"]
        )
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for s in data["dependence"]["series"]:
        by_indicator.setdefault(s["indicator"], []).append(s)
    for k, series in sorted(by_indicator.items()):
        if sum(len(s["points"]) for s in series) > 1:
            out[f"dep:{k}"] = charts.series_figure(series, title=k)
    if data["events"]:
        out["events"] = charts.timeline_figure(data["events"], lang=data["lang"])
    history = data.get("history") or {}
    if history.get("status") == "ok":
        out["history"] = charts.history_figure(history["result"], lang=data["lang"])
    if data.get("scenario"):
        for k, fig in charts.scenario_figures(data["scenario"], lang=data["lang"]).items():
            out[f"scenario:{k}"] = fig
    return out


def _script_json(obj: Any) -> str:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(plain(obj), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(data: dict[str, Any]) -> str:
    """The report as one HTML document with Plotly's JavaScript and every chart inline."""
    import jinja2

    root = _HERE / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("report.html")
    lang = data["lang"]
    figs = figures(data)
    return template.render(
        d=data,
        verification=lambda v: verification_label(v, lang),
        **i18n.helpers(lang),  # t, term, arith, narr, fmt_value, claim_value, ind_formula, dec
        figures={k: _script_json(v) for k, v in figs.items()},
        # A literal "</script" inside the library would end the element early.
        plotly_js=charts.plotly_js().replace("</script", "<\\/script"),
    )


def write_html(data: dict[str, Any], out: Path) -> Path:
    out.write_text(render_html(data), encoding="utf-8")
    return out


def check_request(out: str | Path, fmt: str | None = None, lang: str = "en") -> tuple[Path, str]:
    """The output file and format of a report request, refused before any work is done.

    The format is ``fmt``, else the file's suffix, else html. A PDF needs
    Chromium (or Chrome) on PATH.

    Raises
    ------
    ReportError
        An unknown format or language, an output folder that does not exist,
        or a PDF asked for without Chromium.
    """
    path = Path(out)
    fmt = (fmt or path.suffix.lstrip(".") or "html").lower()
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format '{fmt}'; use html or pdf")
    if not path.parent.is_dir():
        raise ReportError(f"the folder {path.parent} does not exist; create it first")
    if lang not in i18n.LANGUAGES:
        raise ReportError(f"unknown language '{lang}'; use en or sv")
    if fmt == "pdf" and find_chromium() is None:
        raise ReportError(
            "a PDF report is printed by Chromium, which is not installed "
            "(apt-get install chromium); or write HTML with --format html"
        )
    return path, fmt


def write_report(out: str | Path, data: dict[str, Any], *, fmt: str | None = None) -> Path:
    """Write the report ``data`` (:func:`powerbalance.app.report.report_data`) to ``out``,
    as HTML or as a PDF printed from that HTML by Chromium."""
    path, fmt = check_request(out, fmt, data.get("lang", "en"))
    if fmt == "html":
        return write_html(data, path)
    chromium = find_chromium()
    assert chromium is not None  # check_request refused a PDF without it
    return print_pdf(data, path, chromium)


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable on PATH, if any."""
    import shutil

    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(data: dict[str, Any], out: Path, chromium: str, *, timeout: float = 180) -> Path:
    """Print the HTML report to PDF with headless Chromium (offline, throwaway profile)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="powerbalance-print-") as tmp:
        html = write_html(data, Path(tmp) / "report.html")
        cmd = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            "--virtual-time-budget=20000",  # let Plotly draw before printing
            f"--print-to-pdf={out.resolve()}",
            html.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ReportError(f"Chromium did not print the report within {timeout:.0f} s") from None
    if not out.is_file() or out.read_bytes()[:5] != b"%PDF-":
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise ReportError("Chromium could not print the report: " + " / ".join(tail))
    return out
