"""Report benchmark: size and render time of the HTML report of a large sweep. Asserts nothing.

    python benchmarks/report_benchmark.py [--replicates 200] [--months 36] [--out DIR]

Runs (or, when ``--out`` already holds it, resumes) a sweep of the shipped
``stage1_startup`` scenario cut or extended to ``--months`` months, two plans (1 and 2 CSMs)
of ``--replicates`` replicates each; then prints:

1. the time to build and write ``report.html`` (reading the dataset, quantiles, HTML);
2. the size of the file (of which the inlined plotly.js);
3. the time Chromium (headless, via Playwright) takes from opening the file to every chart
   drawn, when the browser is installed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sim.report_html import write_report  # noqa: E402
from sim.report_html.charts import library_script  # noqa: E402


def run_sweep(out: Path, replicates: int, months: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sim.cli", "sweep", "scenarios/stage1_startup.yaml",
                    "--vary", f"horizon_months={months}", "--vary", "pools.csm.headcount=1,2",
                    "--replications", str(replicates), "--jobs", "2", "--out", str(out)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def browser_seconds(report: Path) -> float | None:
    from browser_support import CHROMIUM, launch, open_report

    if not CHROMIUM.exists():
        return None
    playwright, browser = launch()
    try:
        open_report(browser, report)  # a first load warms the browser's caches
        return min(open_report(browser, report).render_seconds for _ in range(3))
    finally:
        browser.close()
        playwright.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    out = arguments.out or Path(tempfile.mkdtemp(prefix="report-benchmark-")) / "sweep"
    seconds = run_sweep(out, arguments.replicates, arguments.months)
    print(f"sweep: 2 plans x {arguments.replicates} replicates x {arguments.months} months "
          f"in {seconds:.1f} s ({out})")
    started = time.perf_counter()
    report = write_report(out)
    built = time.perf_counter() - started
    size = report.stat().st_size
    library = len(library_script().encode())
    print(f"report built and written in {built:.2f} s")
    print(f"report size: {size / 1e6:.2f} MB ({library / 1e6:.2f} MB of it plotly.js, "
          f"{(size - library) / 1e3:.0f} kB of charts, tables and text)")
    rendered = browser_seconds(report)
    print("render time in headless Chromium: " + ("n/a (no /usr/bin/chromium)" if rendered is None
                                                   else f"{rendered:.2f} s (best of 3)"))


if __name__ == "__main__":
    main()
