"""Every § reference in the project names a section of docs/sources.md that exists.

The code, the scenario files and the documents cite the source material by section number
(``§10.1``); docs/sources.md gives each section an anchor ``<a id="s10-1"></a>``. A reference
whose section is missing, a markdown link to a missing anchor, or a mention of the old private
reference file fails here, naming the file and the line.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "sources.md"
SCANNED_FOLDERS = ("sim", "scenarios", "docs", "benchmarks", "tests")
SCANNED_FILES = ("README.md", "pyproject.toml")
TEXT_SUFFIXES = {".py", ".yaml", ".yml", ".md", ".toml", ".cfg", ".txt"}

SECTION_REFERENCE = re.compile(r"§(\d+(?:\.\d+)*)")
ANCHOR = re.compile(r'<a id="(s\d+(?:-\d+)*)"></a>')
ANCHOR_LINK = re.compile(r"sources\.md#([\w-]+)")
HEADING_NUMBER = re.compile(r"^#+ §(\d+(?:\.\d+)*) ")
PRIVATE_REFERENCE = re.compile(r"domain\.md", re.IGNORECASE)


def anchor_of(section: str) -> str:
    """The anchor of a section number: ``10.1`` -> ``s10-1``."""
    return "s" + section.replace(".", "-")


def project_files() -> list[Path]:
    """The text files whose § references must resolve."""
    files = [ROOT / name for name in SCANNED_FILES if (ROOT / name).is_file()]
    for folder in SCANNED_FOLDERS:
        files += sorted(
            path for path in (ROOT / folder).rglob("*")
            if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts
        )
    return files


def known_anchors(text: str) -> set[str]:
    """The anchors docs/sources.md defines."""
    return set(ANCHOR.findall(text))


def _where(path: Path, line_number: int) -> str:
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"{shown}:{line_number}"


def dangling_references(files: list[Path], anchors: set[str]) -> list[str]:
    """One line per § reference or sources.md link whose anchor does not exist."""
    problems = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in SECTION_REFERENCE.finditer(line):
                if anchor_of(match.group(1)) not in anchors:
                    problems.append(f"{_where(path, number)}: §{match.group(1)} has no section "
                                    f"(anchor {anchor_of(match.group(1))}) in docs/sources.md")
            for match in ANCHOR_LINK.finditer(line):
                if match.group(1) not in anchors:
                    problems.append(f"{_where(path, number)}: link to sources.md#{match.group(1)}, "
                                    "which docs/sources.md does not define")
    return problems


def private_mentions(files: list[Path]) -> list[str]:
    """One line per mention of the private reference file users do not have."""
    return [
        f"{_where(path, number)}: cites a file users do not have; cite docs/sources.md instead"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PRIVATE_REFERENCE.search(line)
    ]


def test_every_section_reference_has_an_anchor_in_sources() -> None:
    anchors = known_anchors(SOURCES.read_text(encoding="utf-8"))
    problems = dangling_references(project_files(), anchors)
    assert not problems, "\n".join(problems)


def test_no_file_cites_the_private_reference() -> None:
    problems = private_mentions(project_files())
    assert not problems, "\n".join(problems)


def test_each_anchor_sits_on_the_heading_of_its_own_section() -> None:
    lines = SOURCES.read_text(encoding="utf-8").splitlines()
    seen: list[str] = []
    for number, line in enumerate(lines, start=1):
        anchor = ANCHOR.fullmatch(line.strip())
        if anchor is None:
            continue
        heading = HEADING_NUMBER.match(lines[number] if number < len(lines) else "")
        assert heading is not None, f"docs/sources.md:{number}: anchor not followed by a § heading"
        assert anchor_of(heading.group(1)) == anchor.group(1), (
            f"docs/sources.md:{number}: anchor {anchor.group(1)} "
            f"on the heading of §{heading.group(1)}")
        seen.append(anchor.group(1))
    assert len(seen) == len(set(seen)), "docs/sources.md defines an anchor twice"
    headings = [line for line in lines if HEADING_NUMBER.match(line)]
    assert len(headings) == len(seen), "a § heading of docs/sources.md has no anchor"


def test_a_reference_to_a_missing_section_is_reported_with_file_and_line(tmp_path: Path) -> None:
    planted = tmp_path / "notes.py"
    planted.write_text('"""Churn per tier.\n\nSee \u00a710.1 and \u00a799.9."""\n',
                       encoding="utf-8")
    anchors = known_anchors(SOURCES.read_text(encoding="utf-8"))
    assert dangling_references([planted], anchors) == [
        f"{planted}:3: \u00a799.9 has no section (anchor s99-9) in docs/sources.md"]


def test_a_link_to_a_missing_anchor_and_a_private_mention_are_reported(tmp_path: Path) -> None:
    missing = "s7" + "-9"  # spelt in two pieces so that this file itself passes the scan
    planted = tmp_path / "page.md"
    planted.write_text(f"Ratios: [8-15](sources.md#{missing}).\nAs in domain" + ".md.\n",
                       encoding="utf-8")
    anchors = known_anchors(SOURCES.read_text(encoding="utf-8"))
    assert dangling_references([planted], anchors) == [
        f"{planted}:1: link to sources.md#{missing}, which docs/sources.md does not define"]
    assert private_mentions([planted]) == [
        f"{planted}:2: cites a file users do not have; cite docs/sources.md instead"]
