"""Reading YAML input files within bounds.

Regular files only, a size cap, no duplicate keys, a nesting-depth limit and a budget on alias
expansion.

A hostile or careless file (``/dev/zero``, a FIFO, a "billion laughs" alias bomb, a key given
twice, a list nested a thousand deep) ends in one :class:`~sim.core.errors.ScenarioError` line
naming
the file, and never in a hang, a memory blow-up or a traceback. See ``docs/limits.md``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.core.errors import ScenarioError

MAX_FILE_BYTES = 1024 * 1024
"""Largest scenario or plans file read (bytes): 1 MiB, about 60 times the largest shipped file
(parsing a file of this size takes about 3 s and 80 MB; see docs/limits.md)."""
MAX_DEPTH = 40
"""Deepest nesting of mappings and lists (the schema needs 7 levels)."""
MAX_NODES = 200_000
"""Most values a document may hold once its aliases are expanded (``*anchor`` counts as a copy
of everything it refers to); every shipped scenario holds fewer than 2,000."""


def read_text(path: str | Path, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes.

    Raises:
        ScenarioError: missing or unreadable, not a regular file (directory, device, FIFO,
            socket), larger than ``limit`` or not UTF-8; one line naming the file.
    """
    path = Path(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read file ({error.strerror or error})") from error
    try:
        kind = _kind(os.fstat(descriptor).st_mode)
        if kind:
            raise ScenarioError(f"{path}: is {kind}, not a regular file; give a YAML file")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read file ({error.strerror or error})") from error
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise ScenarioError(f"{path}: larger than the limit of {limit:,} bytes; "
                            "scenario and plans files are small YAML files")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(f"{path}: not a UTF-8 text file (byte {error.start})") from error


def _kind(mode: int) -> str:
    """What a non-regular file is ('' for a regular file)."""
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"))
    if stat.S_ISREG(mode):
        return ""
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def load_yaml(text: str, source: str) -> Any:
    """Parse one YAML document with the safe loader and the bounds of this module.

    Raises:
        ScenarioError: not YAML, a duplicate key, too deep, or too many values once aliases
            are expanded; the message names ``source`` and the line.
    """
    loader = BoundedLoader(text)
    try:
        return loader.get_single_data()
    except BoundsError as error:
        line = f" line {error.problem_mark.line + 1}:" if error.problem_mark else ""
        raise ScenarioError(f"{source}:{line} {error.problem}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None)
        raise ScenarioError(f"{source}: unreadable YAML{where}"
                            + (f": {reason}" if reason else "")) from error
    finally:
        loader.dispose()


class BoundsError(yaml.YAMLError):
    """A document breaks a bound of this module; ``problem`` says which, at ``problem_mark``."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class BoundedLoader(yaml.SafeLoader):
    """The safe loader with a depth limit, an alias-expansion budget and no duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        """Compose as usual, refusing nesting deeper than ``MAX_DEPTH``."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise BoundsError(f"nested more than {MAX_DEPTH} levels deep",
                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1

    def construct_document(self, node: Node) -> Any:
        """Check the expanded size of the document before building any value from it."""
        expanded_size(node, MAX_NODES)
        return super().construct_document(node)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing a key given twice (both lines are named)."""
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: the base class reports it
            line = key_node.start_mark.line + 1
            if first is not None:
                raise BoundsError(f"duplicate key {_cut(key)} (first at line {first}, again at "
                                  f"line {line})", key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def expanded_size(root: Node, budget: int) -> int:
    """The number of nodes of a document with every alias expanded, up to ``budget``.

    Shared nodes are counted once per reference, as a program walking the loaded value sees
    them; the walk itself visits each node once.

    Raises:
        BoundsError: the size exceeds ``budget``, or an alias refers to a node that contains it.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise BoundsError("an alias refers to a value that contains it",
                              node.start_mark)
        open_nodes.add(key)
        total = 1
        for child in _children(node):
            total += size(child)
            if total > budget:
                raise BoundsError(f"more than {budget:,} values once aliases are expanded "
                                  "(an alias bomb?)", node.start_mark)
        open_nodes.discard(key)
        sizes[key] = total
        return total

    return size(root)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, ScalarNode):
        return []
    return []


def _cut(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def key_lines(text: str) -> dict[tuple, int]:
    """The line (from 1) of every key and list item of a YAML document, by its data path.

    ``("pools", 0, "headcount")`` -> the line of ``headcount:`` in the first pool. Best effort:
    an unreadable document gives an empty map (``load_yaml`` reports why).
    """
    loader = BoundedLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return {}
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}

    def walk(node: Node, path: tuple, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    lines.setdefault((*path, key.value), key.start_mark.line + 1)
                    walk(value, (*path, key.value), depth + 1)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                lines.setdefault((*path, index), item.start_mark.line + 1)
                walk(item, (*path, index), depth + 1)

    if root is not None:
        walk(root, (), 0)
    return lines
