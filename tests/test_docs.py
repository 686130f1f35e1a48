"""The README's scenario reference is the one generated from the schema."""

from pathlib import Path

from sim.docs import with_reference

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_reference_matches_the_schema() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_reference(text) == text, "run: python -m sim.docs README.md"
