"""Run outputs on disk: one parquet file per table plus ``manifest.json``.

Every parquet file carries the scenario, seed and package version in its file-level metadata
(keys ``cssim.scenario``, ``cssim.seed``, ``cssim.version``), so a table read on its own still
says where it came from.

A run directory is written atomically: the files go into a temporary directory next to the
target, which is renamed onto the target only once every file is complete. On failure, or on
Ctrl-C, the temporary directory is removed and an earlier run at the target is left untouched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from sim.results import RunResult

TABLES = ("timeseries", "workforce", "events", "customers", "summary")
MANIFEST_FILE = "manifest.json"
DERIVED_FILES = frozenset({"report.html", "tables.xlsx", "csv"})
"""Written from a run's tables by ``cssim report`` and ``cssim export``; a new run replaces
the directory, these included."""
OUTPUT_FILES = frozenset({*(f"{stem}.parquet" for stem in TABLES), MANIFEST_FILE,
                          *DERIVED_FILES})
METADATA_KEYS = ("scenario", "seed", "version")
METADATA_PREFIX = "cssim."


def write_run(result: RunResult, out_dir: Path) -> Path:
    """Write a run's tables and manifest to ``out_dir``, all or nothing.

    Args:
        result: the run to write; its manifest needs the keys ``scenario``, ``seed`` and
            ``version``.
        out_dir: the run directory; missing parent folders are created. An earlier run there
            is replaced once the new one is complete; a directory holding anything other than
            run outputs is refused, never replaced.

    Returns:
        The absolute path of the run directory.

    Raises:
        ValueError: the manifest lacks a required key.
        FileExistsError: ``out_dir`` exists and is not a run directory.
        OSError: a file could not be written; nothing is left behind.
    """
    out_dir = Path(os.path.abspath(out_dir))
    metadata = file_metadata(result.manifest)
    manifest_text = json.dumps(result.manifest, indent=2, sort_keys=True, default=_json_value)
    _check_replaceable(out_dir)
    created = _make_folders(out_dir.parent)
    staging = _sibling(out_dir, "tmp")
    try:
        staging.mkdir()
        _write_files(result, staging, metadata, manifest_text)
        previous = _move_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_empty(created)
        raise
    if previous is not None:
        _discard(previous)
    return out_dir


def read_run(run_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the tables of a run directory, keyed by table name (``timeseries``, ...)."""
    run_dir = Path(run_dir)
    return {stem: pd.read_parquet(run_dir / f"{stem}.parquet") for stem in TABLES}


def read_manifest(run_dir: Path) -> dict:
    """Read the ``manifest.json`` of a run directory."""
    return json.loads((Path(run_dir) / MANIFEST_FILE).read_text(encoding="utf-8"))


def read_prefixed_metadata(parquet_path: Path) -> dict[str, str]:
    """The ``cssim.`` keys of a parquet file's metadata, without the prefix ({} if none)."""
    raw = pq.read_schema(parquet_path).metadata or {}
    prefix = METADATA_PREFIX.encode()
    return {key.decode()[len(prefix):]: value.decode() for key, value in raw.items()
            if key.startswith(prefix)}


def read_metadata(parquet_path: Path) -> dict:
    """Read the run metadata of one parquet file written by :func:`write_run`.

    Returns:
        A dict with ``scenario`` (dict), ``seed`` (int) and ``version`` (str).

    Raises:
        ValueError: the file carries no cssim metadata.
    """
    found = read_prefixed_metadata(parquet_path)
    missing = [key for key in METADATA_KEYS if key not in found]
    if missing:
        raise ValueError(f"{parquet_path}: no cssim metadata {missing}; not a run output file")
    return {"scenario": json.loads(found["scenario"]), "seed": int(found["seed"]),
            "version": found["version"]}


def file_metadata(manifest: dict) -> dict[str, str]:
    """The parquet file-level metadata for a run, from its manifest.

    Raises:
        ValueError: the manifest lacks ``scenario``, ``seed`` or ``version``.
    """
    missing = [key for key in METADATA_KEYS if key not in manifest]
    if missing:
        raise ValueError(f"run manifest is missing {missing}")
    scenario = json.dumps(manifest["scenario"], sort_keys=True, default=_json_value)
    return {f"{METADATA_PREFIX}scenario": scenario,
            f"{METADATA_PREFIX}seed": str(int(manifest["seed"])),
            f"{METADATA_PREFIX}version": str(manifest["version"])}


def _write_files(result: RunResult, folder: Path, metadata: dict[str, str],
                 manifest_text: str) -> None:
    for stem, frame in result.tables().items():
        _write_table(frame, folder / f"{stem}.parquet", metadata)
    (folder / MANIFEST_FILE).write_text(manifest_text + "\n", encoding="utf-8")


def _write_table(frame: pd.DataFrame, path: Path, metadata: dict[str, str]) -> None:
    table = pa.Table.from_pandas(frame)
    merged = {**(table.schema.metadata or {}),
              **{key.encode(): value.encode() for key, value in metadata.items()}}
    pq.write_table(table.replace_schema_metadata(merged), path)


def _check_replaceable(out_dir: Path) -> None:
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if not out_dir.is_dir():
        raise FileExistsError(f"{out_dir}: exists and is not a directory")
    foreign = sorted(entry.name for entry in out_dir.iterdir() if entry.name not in OUTPUT_FILES)
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise FileExistsError(f"{out_dir}: exists and holds files that are not run outputs "
                              f"({shown}); not replacing it")


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return the ones created, outermost first."""
    created = []
    for ancestor in [*reversed(folder.parents), folder]:
        if not ancestor.exists():
            ancestor.mkdir(exist_ok=True)
            created.append(ancestor)
    return created


def _remove_empty(folders: list[Path]) -> None:
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            return


def _sibling(out_dir: Path, kind: str) -> Path:
    """A hidden, unused name next to ``out_dir`` (48 random bits make a clash negligible)."""
    return out_dir.parent / f".{kind}-{out_dir.name}-{secrets.token_hex(6)}"


def _move_into_place(staging: Path, out_dir: Path) -> Path | None:
    """Rename ``staging`` onto ``out_dir``; return where a previous run was moved, if any."""
    if not out_dir.exists() and not out_dir.is_symlink():
        os.replace(staging, out_dir)
        return None
    previous = _sibling(out_dir, "old")
    os.replace(out_dir, previous)
    try:
        os.replace(staging, out_dir)
    except BaseException:
        os.replace(previous, out_dir)
        raise
    return previous


def _discard(previous: Path) -> None:
    if previous.is_symlink():
        previous.unlink()
    else:
        shutil.rmtree(previous, ignore_errors=True)


def _json_value(value: object) -> object:
    """Convert the values ``json`` does not know (numpy scalars, models, paths)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"manifest value {value!r} ({type(value).__name__}) is not JSON-serialisable")
