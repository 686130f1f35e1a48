"""The scenario reference in docs/ is the one generated from the schema."""

from pathlib import Path

from sim.scenario.reference import with_reference

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference.md"


def test_reference_matches_the_schema() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    assert with_reference(text) == text, "run: python -m sim.scenario.reference docs/reference.md"
