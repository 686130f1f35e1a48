"""The HTML report of a run, sweep or compare directory: one self-contained page.

``write_report(path)`` reads the directory (its kind from ``manifest.json``), builds the
sections listed for that kind in ``SECTIONS`` and writes one HTML file with the charting library
inlined. A new section is one function ``source -> Section`` appended to a list of ``SECTIONS``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sim.report_html import experiment_sections as experiment
from sim.report_html import experiment_story, run_economics, run_sections, run_story
from sim.report_html.charts import library_script
from sim.report_html.page import Page, Section, render
from sim.report_html.source import ExperimentSource, RunSource, Source, load

REPORT_FILE = "report.html"

SECTIONS: dict[str, Sequence[Callable[[Any], Section]]] = {
    "run": (run_sections.headline, run_story.what_happened, run_sections.growth,
            run_sections.backlog, run_sections.capacity, run_sections.service,
            run_sections.staff, run_economics.bridge, run_economics.economics,
            run_economics.monthly_table),
    "sweep": (experiment.overview, experiment_story.findings, experiment.kpi_table,
              experiment.requirements, experiment.forest, experiment.fans),
    "compare": (experiment.overview, experiment_story.findings, experiment.kpi_table,
                experiment.forest, experiment.cost_retention, experiment.fans),
}
"""The sections of each kind of report, in page order."""


def build_report(path: Path) -> str:
    """The report of a run, sweep or compare directory as an HTML document.

    Raises:
        ValueError: ``path`` is not a run, sweep or compare directory.
    """
    source = load(Path(path))
    sections = [section(source) for section in SECTIONS[source.kind]]
    return render(Page(_title(source), _subtitle(source), sections, str(Path(path))),
                  library_script())


def write_report(path: Path, out: Path | None = None) -> Path:
    """Write the report of ``path`` to ``out`` (default ``PATH/report.html``), atomically.

    Returns:
        The path of the written file.
    """
    target = Path(out) if out is not None else Path(path) / REPORT_FILE
    text = build_report(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _title(source: Source) -> str:
    if isinstance(source, RunSource):
        return f"{source.scenario.get('name', 'Run')}: what the simulation shows"
    if source.kind == "compare":
        return f"Strategies compared: {', '.join(source.plan_order[:4])}" + (
            " ..." if len(source.plan_order) > 4 else "")
    return f"Sweep of {source.manifest.get('scenario_name', 'a scenario')}"


def _subtitle(source: Source) -> str:
    if isinstance(source, RunSource):
        description = " ".join(str(source.scenario.get("description", "")).split())
        return description or f"One run, seed {source.manifest.get('seed')}"
    assert isinstance(source, ExperimentSource)
    return (f"{len(source.plans)} plans over common random numbers, base seed "
            f"{source.manifest.get('base_seed')}; differences against {source.baseline}")


__all__ = ["REPORT_FILE", "SECTIONS", "build_report", "write_report"]
