"""Close matches for an unknown key of a scenario: ``head_count`` -> ``headcount``."""

from __future__ import annotations

import difflib
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

MATCH_CUTOFF = 0.6
"""How alike a known key must be to be suggested (difflib's ratio)."""


def suggest_key(loc: tuple, root: type[BaseModel]) -> str:
    """`` (did you mean 'x'?)`` for the unknown last key of ``loc`` under ``root``, or ''."""
    if not loc or not isinstance(loc[-1], str):
        return ""
    models: list[type[BaseModel]] = [root]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        models = [found for model in models if part in model.model_fields
                  for found in _models_in(model.model_fields[part].annotation)]
    names = sorted({name for model in models for name in model.model_fields})
    close = difflib.get_close_matches(loc[-1], names, n=1, cutoff=MATCH_CUTOFF)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (a model, a tuple or union of them)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, tuple, list) or origin is not None:
        return [model for argument in get_args(annotation) for model in _models_in(argument)]
    return []
