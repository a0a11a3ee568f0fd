"""Reports: a self-contained HTML file (charts inline, opens offline) or a PDF.

The content is gathered once by :func:`report_data` from the same sections
the dashboard shows; :func:`write_html` and :func:`write_pdf` only lay it
out. The PDF is drawn with matplotlib (no browser needed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from powerbalance import __version__
from powerbalance.errors import UserError
from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.models import Claim
from powerbalance.interfaces.report import charts, i18n, sections

#: The folder of this module, where its package data lie.
_HERE = Path(__file__).parent

Format = Literal["html", "pdf"]
FORMATS: tuple[str, ...] = ("html", "pdf")
PDF_ENGINES: tuple[str, ...] = ("matplotlib", "chromium")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


class ReportError(UserError):
    """A report cannot be written as asked (format, output file)."""


def report_data(
    evidence: Evidence,
    *,
    lang: str = "en",
    scenario: str | None = None,
    save_run: Callable[[Callable[[Any], Any]], Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    registered: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything a report shows, as plain data.

    Parameters
    ----------
    evidence
        The evidence to report on (a store's, or the bundled corpus).
    lang
        ``en`` or ``sv``.
    scenario
        A bundled scenario's name or the path of a scenario TOML file (given
        by the user on the command line); it is run and its results included.
    save_run
        Runs a function on a writable store, so the scenario run is stored
        and the report can cite its id. Without it the run is not stored.
    progress
        Called with (draws done, draws in all) while the scenario runs.
    registered
        The store's dataset registrations: claims are then checked against
        those datasets and the report shows verified, contradicted or
        unverifiable (and why).
    """
    lang = i18n.normalise_lang(lang)
    verified = None
    if registered is not None:
        checked = sections.guarded(
            "verification", lambda: sections.verification_statuses(evidence, registered)
        )
        verified = checked.get("result") or None
    overview = sections.overview(evidence, lang=lang, verified=verified)
    claims = [
        sections.record_row(c, evidence, lang=lang, verified=verified)
        for c in evidence.of_type(Claim)
    ]
    claims.sort(key=lambda r: (r["indicator"], r["actor"], r["period_end"], r["id"]))
    data: dict[str, Any] = {
        "lang": lang,
        "title": i18n.t("report_title", lang),
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "overview": overview,
        "dependence": sections.dependence(evidence, lang=lang),
        "claims": claims,
        "events": [sections.record_row(e, evidence, lang=lang) for e in evidence.events],
        "sources": [sections.source_row(evidence, s.id) for s in evidence.sources],
        "scenario": None,
    }
    if scenario:
        data["scenario"] = _scenario(scenario, evidence, save_run, progress)
    return data


def _scenario(
    name_or_file: str,
    evidence: Evidence,
    save_run: Callable[[Callable[[Any], Any]], Any] | None,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    path = Path(name_or_file)
    if path.suffix == ".toml" or path.is_file():
        if not path.is_file():
            raise ReportError(f"scenario file {path} does not exist")
        prepared = sections.prepare_scenario(text=path.read_text(encoding="utf-8"))
    else:
        prepared = sections.prepare_scenario(name=name_or_file)

    def no_store(_fn: Callable[[Any], Any]) -> None:
        return None

    return sections.run_prepared_scenario(
        prepared, evidence, save_run or no_store, progress=progress
    )


def verification_label(v: dict[str, Any], lang: str) -> str:
    """A claim's verification status in words.

    Examples
    --------
    >>> verification_label({"status": "verified", "dataset": "sipri-register"}, "en")
    'verified (sipri-register)'
    >>> verification_label({"status": "unverifiable", "settle_with": "imf-dots"}, "sv")
    'ej verifierbar (kräver imf-dots)'
    """
    status = v.get("status")
    if status == "checkable":
        return f"{i18n.t('checkable', lang)} {v.get('dataset')}"
    if status == "verified":
        return f"{i18n.t('verified', lang)} ({v.get('dataset')})"
    if status == "contradicted":
        return f"{i18n.t('contradicted', lang)}: {v.get('dataset')} {v.get('computed')}"
    if status == "unverifiable" and v.get("settle_with"):
        return f"{i18n.t('unverifiable', lang)} ({i18n.t('settle_with', lang)} {v['settle_with']})"
    return i18n.t(str(status), lang)


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
    if data.get("scenario"):
        for k, fig in sections.scenario_figures(data["scenario"], lang=data["lang"]).items():
            out[f"scenario:{k}"] = fig
    return out


def _script_json(obj: Any) -> str:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(sections.plain(obj), ensure_ascii=False, allow_nan=False)
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


def write_report(
    out: str | Path,
    evidence: Evidence,
    *,
    fmt: str | None = None,
    lang: str = "en",
    scenario: str | None = None,
    save_run: Callable[[Callable[[Any], Any]], Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    registered: dict[str, Any] | None = None,
    pdf_engine: str = "matplotlib",
) -> Path:
    """Write the report to ``out`` as HTML or PDF (``fmt``, else the file's suffix).

    The PDF is drawn with matplotlib, or with ``pdf_engine="chromium"``
    printed from the HTML report by headless Chromium (charts as in the
    browser).

    Raises
    ------
    ReportError
        An unknown format or engine, an output folder that does not exist,
        or Chromium asked for but not installed.
    """
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".") or "html").lower()
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format '{fmt}'; use html or pdf")
    if not out.parent.is_dir():
        raise ReportError(f"the folder {out.parent} does not exist; create it first")
    if lang not in i18n.LANGS:
        raise ReportError(f"unknown language '{lang}'; use en or sv")
    if pdf_engine not in PDF_ENGINES:
        raise ReportError(f"unknown PDF engine '{pdf_engine}'; use matplotlib or chromium")
    chromium = find_chromium() if fmt == "pdf" and pdf_engine == "chromium" else None
    if fmt == "pdf" and pdf_engine == "chromium" and chromium is None:
        raise ReportError(
            "Chromium is not installed (apt-get install chromium); use --pdf-engine matplotlib"
        )
    data = report_data(
        evidence,
        lang=lang,
        scenario=scenario,
        save_run=save_run,
        progress=progress,
        registered=registered,
    )
    if fmt == "html":
        return write_html(data, out)
    if chromium is not None:
        return print_pdf(data, out, chromium)
    from powerbalance.interfaces.report.pdf import write_pdf

    return write_pdf(data, out)


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
