"""The scenario field reference as Markdown, generated from the schema's field docstrings."""

from __future__ import annotations

import json

from sim.core.generated import regenerate, with_section
from sim.scenario.schema import Scenario


def _type_of(spec: dict) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in spec:
        return " or ".join(_type_of(option) for option in spec["anyOf"])
    if "oneOf" in spec:
        return " or ".join(_type_of(option) for option in spec["oneOf"])
    if "enum" in spec:
        return " / ".join(json.dumps(value) for value in spec["enum"])
    if "const" in spec:
        return json.dumps(spec["const"])
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(spec.get('items', {}))}"
    if kind == "object" and "additionalProperties" in spec:
        return f"map of {_type_of(spec['additionalProperties'])}"
    return kind


def _limits(spec: dict) -> str:
    words = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}
    limits = [f"{sign} {spec[key]}" for key, sign in words.items() if key in spec]
    if "maxLength" in spec:
        limits.append(f"at most {spec['maxLength']} characters")
    if "maxItems" in spec:
        limits.append(f"at most {spec['maxItems']} items")
    values = spec.get("additionalProperties")
    if isinstance(values, dict) and _limits(values):
        limits.append(f"values {_limits(values)}")
    return ", ".join(limits)


def _default(spec: dict, required: bool) -> str:
    """The default column: a default, **required**, or required in practice (for some uses)."""
    if "required_unless" in spec:
        return f"**required** unless `{spec['required_unless']}` is given"
    if required:
        return "**required**"
    if "required_for" in spec:
        return f"**required** for {spec['required_for']} (else `{json.dumps(spec['default'])}`)"
    if "default" not in spec:
        return ""
    text = json.dumps(spec["default"])
    return f"`{text}`" if len(text) <= 60 else "see schema"


def _plausible(spec: dict) -> str:
    """`` Plausible: 1.2 to 3 (assumption).`` for a field that declares a plausible range."""
    for key, unit in (("plausible", ""), ("plausible_scale", " x the scenario's value")):
        if key in spec:
            low, high = spec[key]
            return f" *Plausible: {low:g} to {high:g}{unit} ({spec.get('source', 'assumption')}).*"
    return ""


def _table(name: str, model: dict) -> list[str]:
    lines = [f"## `{name}`", "", model.get("description", "").strip(), "",
             "| field | type | default | meaning |", "|---|---|---|---|"]
    required = set(model.get("required", []))
    for field, spec in model.get("properties", {}).items():
        meaning = " ".join(spec.get("description", "").split()) + _plausible(spec)
        limits = _limits(spec)
        kind = _type_of(spec) + (f" ({limits})" if limits else "")
        lines.append(f"| `{field}` | {kind} | {_default(spec, field in required)} | {meaning} |")
    return lines + [""]


def scenario_reference() -> str:
    """Markdown tables describing every model of the scenario schema."""
    schema = Scenario.model_json_schema()
    lines = _table("Scenario", schema)
    for name, model in sorted(schema.get("$defs", {}).items()):
        lines += _table(name, model)
    return "\n".join(lines)


def with_reference(readme: str) -> str:
    """The text of ``docs/reference.md`` with its generated section regenerated."""
    return with_section(readme, "reference", scenario_reference())


if __name__ == "__main__":  # python -m sim.scenario.reference docs/reference.md
    import sys

    regenerate(sys.argv, with_reference)
