"""Run outputs on disk: one parquet file per table plus ``manifest.json``.

Every parquet file carries the scenario, seed and package version in its file-level metadata
(keys ``cssim.scenario``, ``cssim.seed``, ``cssim.version``), so a table read on its own still
says where it came from.

A run directory is written atomically: the files go into a staging folder next to the target,
which is swapped with the target only once every file is complete (see ``sim.outputs.atomic``: a
kill at
any moment leaves the earlier run or the new one at the target, and the next writer tidies up).
On failure, or on Ctrl-C, the staging folder is removed and an earlier run is left untouched.
An existing folder is replaced only if it is a run that cssim wrote, recognised by its
manifest and the metadata of its tables, never by file names alone.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from sim.outputs import atomic
from sim.outputs.results import RunResult

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

    Call it holding the folder's lock (``sim.outputs.locks.output_lock``): it tidies what a killed
    writer left beside the folder.

    Args:
        result: the run to write; its manifest needs the keys ``scenario``, ``seed`` and
            ``version``.
        out_dir: the run directory; missing parent folders are created. An earlier run there
            is replaced once the new one is complete; a directory holding anything other than
            a cssim run is refused, never replaced, and so is the working directory.

    Returns:
        The absolute path of the run directory.

    Raises:
        ValueError: the manifest lacks a required key.
        FileExistsError: ``out_dir`` exists and is not a run directory cssim wrote.
        OSError: a file could not be written; nothing is left behind.
    """
    out_dir = Path(os.path.abspath(out_dir))
    metadata = file_metadata(result.manifest)
    manifest_text = json.dumps(result.manifest, indent=2, sort_keys=True, default=_json_value)
    check_replaceable(out_dir)
    created = atomic.make_folders(out_dir.parent)
    staging = atomic.sibling(out_dir, atomic.STAGING)
    try:
        staging.mkdir()
        _write_files(result, staging, metadata, manifest_text)
        atomic.swap_in(staging, out_dir)
    except BaseException:
        atomic.discard(staging)
        atomic.remove_empty_folders(created)
        raise
    return out_dir


def check_replaceable(out_dir: Path) -> None:
    """Refuse an ``out_dir`` that cssim may not replace with a run (reads only).

    Tidies first what a killed writer left beside it (``sim.outputs.atomic.recover``).

    Raises:
        FileExistsError: ``out_dir`` is or holds the working directory, is a file, or is a
            folder holding anything but a run cssim wrote (manifest and table metadata agree).
    """
    out_dir = Path(os.path.abspath(out_dir))
    working = Path.cwd()
    if out_dir == working or out_dir in working.parents or not out_dir.name:
        raise FileExistsError(f"{out_dir}: is the working directory or holds it; "
                              "give --out a folder of its own")
    if out_dir.parent.is_dir():
        atomic.recover(out_dir)
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if not out_dir.is_dir():
        raise FileExistsError(f"{out_dir}: exists and is not a directory")
    foreign = _not_run_outputs(out_dir)
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise FileExistsError(f"{out_dir}: exists and holds files that are not outputs of a "
                              f"cssim run ({shown}); not replacing it")


def _not_run_outputs(folder: Path) -> list[str]:
    """The entries of ``folder`` that are not outputs of the cssim run it holds (sorted)."""
    entries = sorted(folder.iterdir())
    if not entries:
        return []
    manifest = _run_manifest(folder / MANIFEST_FILE)
    if manifest is None:
        return [entry.name for entry in entries]
    expected = {"seed": str(manifest["seed"]), "version": str(manifest["version"])}
    return [entry.name for entry in entries
            if entry.name != MANIFEST_FILE and not _is_run_table(entry, expected)
            and not _is_derived_output(entry)]


DERIVED_CREATOR = "cssim"
"""Author recorded in every file cssim derives from a result (the report, the spreadsheet)."""
CSV_MARKER = ".cssim-export"
"""Marker file that ``cssim export --format csv`` writes into its folder."""
REPORT_MARKER = b'<meta name="generator" content="cssim '
"""What the head of a cssim HTML report holds."""


def _is_derived_output(entry: Path) -> bool:
    """Whether ``entry`` is a report, workbook or CSV folder that cssim wrote from a result."""
    if entry.is_symlink():
        return False
    if entry.is_dir():
        marker = entry / CSV_MARKER
        return marker.is_file() and all(
            child.name == CSV_MARKER or (child.suffix == ".csv" and child.is_file())
            for child in entry.iterdir())
    if not entry.is_file():
        return False
    try:
        if entry.suffix == ".html":
            with entry.open("rb") as handle:
                return REPORT_MARKER in handle.read(4096)
        if entry.suffix == ".xlsx":
            with zipfile.ZipFile(entry) as book:
                core = book.read("docProps/core.xml")[:100_000]
            return f"<dc:creator>{DERIVED_CREATOR}</dc:creator>".encode() in core
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return False


def _run_manifest(path: Path) -> dict | None:
    """The manifest of a cssim run at ``path``, or None if it is not one."""
    if not path.is_file() or path.is_symlink():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8")[:10_000_000])
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or any(key not in manifest for key in METADATA_KEYS):
        return None
    return manifest


def _is_run_table(entry: Path, expected: dict[str, str]) -> bool:
    """Whether ``entry`` is a table of a run with this seed and version."""
    if entry.name not in OUTPUT_FILES or entry.is_symlink() or not entry.is_file():
        return False
    try:
        found = read_prefixed_metadata(entry)
    except (OSError, ValueError, pa.ArrowException):
        return False
    return all(found.get(key) == value for key, value in expected.items())


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
