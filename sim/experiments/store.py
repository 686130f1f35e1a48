"""A sweep on disk: a partitioned parquet dataset written batch by batch.

Layout of a sweep directory::

    manifest.json                      what was run: scenario, plans, base seed, version, command
    plans.parquet                      one row per plan: overrides (JSON and one column per path)
    replicates/plan=<id>/part-<first>-<last>.parquet   one row per replicate (KPIs, status)
    timeseries/plan=<id>/part-<first>-<last>.parquet   one row per (replicate, period)
    failures.parquet                   failed replicates: plan, replicate, seed, error, traceback
    stats.parquet, differences.parquet, ...            statistics, recomputed from the dataset

Every file is written to a hidden temporary name and renamed into place. A batch's timeseries
file is written before its replicates file, and only the replicates file counts: a batch is done
once its replicates file exists. Reopening the directory removes temporary files and timeseries
files without their replicates file (left by a kill), so re-running skips exactly the completed
(plan, replicate) pairs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sim.experiments.kpis import PERIOD_SCHEMA, REPLICATE_SCHEMA
from sim.experiments.tasks import FAILED, BatchResult
from sim.outputs.io import METADATA_PREFIX, read_prefixed_metadata

MANIFEST = "manifest.json"
PLANS = "plans.parquet"
FAILURES = "failures.parquet"
REPLICATES = "replicates"
TIMESERIES = "timeseries"
FORMAT = 1
_TEMPORARY = ".tmp-"
_PART = re.compile(r"part-(\d+)-(\d+)\.parquet")


def definition_id(definition: Mapping[str, Any]) -> str:
    """A fingerprint of what a sweep computes (scenarios, overrides, base seed, version)."""
    text = json.dumps(definition, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class SweepStore:
    """The directory of one sweep."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.metadata: dict[str, str] = {}
        """File-level metadata of the batch files (set by ``open``)."""

    @staticmethod
    def check(root: Path, definition: str, overwrite: bool) -> None:
        """Refuse a directory that holds something other than this sweep (reads only).

        Raises:
            FileExistsError: ``root`` is a file, a folder of other files, (without
                ``overwrite``) a sweep of a different definition, or (with it) a sweep
                folder that also holds files the sweep did not write.
        """
        root = Path(root)
        if not root.exists():
            return
        if not root.is_dir():
            raise FileExistsError(f"{root}: exists and is not a directory")
        if not any(root.iterdir()):
            return
        manifest = _read_json(root / MANIFEST)
        if manifest is None or "definition" not in manifest:
            raise FileExistsError(f"{root}: exists and is not a sweep directory "
                                  "(no readable manifest.json); not writing into it")
        if manifest["definition"] == definition:
            return
        if not overwrite:
            raise FileExistsError(
                f"{root}: holds a different sweep (definition {manifest['definition']}, this one "
                f"is {definition}: scenario, plans, seed or version differ); use another --out, "
                "or --overwrite to replace it")
        foreign = foreign_files(root, str(manifest["definition"]))
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise FileExistsError(f"{root}: holds files the sweep there did not write ({shown}); "
                                  "not replacing it: move them out, or use another --out")

    @classmethod
    def open(cls, root: Path, manifest: Mapping[str, Any], plans: pd.DataFrame,
             overwrite: bool) -> SweepStore:
        """Create or reopen the directory for ``manifest``'s sweep; tidy what a kill left.

        Call it holding the folder's lock (``sim.outputs.locks.output_lock``).
        """
        root = Path(root)
        cls.check(root, manifest["definition"], overwrite)
        previous = _read_json(root / MANIFEST) or {}
        if previous and previous.get("definition") != manifest["definition"]:
            _remove_sweep(root)  # --overwrite of a different sweep: its files only
            previous = {}
        root.mkdir(parents=True, exist_ok=True)
        store = cls(root)
        store.metadata = batch_metadata(manifest)
        store._tidy()
        replications = max(manifest["replications"], previous.get("replications", 0))
        store.write_manifest({**manifest, "replications": replications})
        store.write_table(PLANS, plans)
        return store

    def manifest(self) -> dict[str, Any]:
        """The manifest as written."""
        return _read_json(self.root / MANIFEST) or {}

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        """Replace ``manifest.json``."""
        text = json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n"
        write_atomically(self.root / MANIFEST, lambda path: path.write_text(text, encoding="utf-8"))

    def write_table(self, name: str, frame: pd.DataFrame) -> Path:
        """Write a whole table (``plans.parquet``, ``stats.parquet``, ...) atomically.

        It carries the sweep's metadata (``batch_metadata``), by which ``--overwrite`` knows
        it for the sweep's own.
        """
        metadata = self.metadata or batch_metadata(self.manifest())
        table = pa.Table.from_pandas(frame, preserve_index=False)
        merged = {**(table.schema.metadata or {}),
                  **{key.encode(): value.encode() for key, value in metadata.items()}}
        return write_atomically(self.root / name,
                       lambda path: pq.write_table(table.replace_schema_metadata(merged), path))

    def write_batch(self, result: BatchResult) -> None:
        """Store a batch: its timeseries file, then its replicates file (which marks it done)."""
        first, last = result.replicates["replicate"].min(), result.replicates["replicate"].max()
        name = f"part-{first:07d}-{last:07d}.parquet"
        partition = f"plan={result.plan}"
        metadata = {**self.metadata, f"{METADATA_PREFIX}plan": result.plan}
        _write_parquet(self.root / TIMESERIES / partition / name, result.periods, PERIOD_SCHEMA,
                       metadata)
        _write_parquet(self.root / REPLICATES / partition / name, result.replicates,
                       REPLICATE_SCHEMA, metadata)

    def write_failures(self) -> pd.DataFrame:
        """Rewrite ``failures.parquet`` from the dataset; returns the failures."""
        columns = ["plan", "replicate", "seed", "error", "traceback"]
        frame = read_replicates(self.root, columns=[*columns, "status"])
        failures = frame[frame["status"] == FAILED][columns].reset_index(drop=True)
        self.write_table(FAILURES, failures)
        return failures

    def _tidy(self) -> None:
        """Remove what kills and concurrent writers left.

        Temporary files, timeseries files of batches never completed, and batches that repeat
        replicates of another (two writers at once, before sweeps had a lock).
        """
        for path in self.root.rglob(f".*{_TEMPORARY}*"):
            path.unlink(missing_ok=True)
        for path in (self.root / TIMESERIES).glob("plan=*/part-*.parquet"):
            if not (self.root / REPLICATES / path.parent.name / path.name).exists():
                path.unlink()
        removed = remove_overlapping_batches(self.root)
        if removed:
            print(f"{self.root}: repaired: {len(removed)} batch files repeated replicates of "
                  "others (two sweeps wrote here at once) and were removed; their replicates "
                  "not stored elsewhere are run again", file=sys.stderr)


def remove_overlapping_batches(root: Path) -> list[Path]:
    """Delete batch files whose replicates overlap another batch of the same plan.

    Per plan, the batches covering the most replicates are kept first; a batch overlapping a
    kept one is removed with its timeseries file. Returns the removed replicates files.
    """
    removed = []
    for partition in sorted((Path(root) / REPLICATES).glob("plan=*")):
        kept: list[tuple[int, int]] = []
        for first, last, path in sorted(_batch_ranges(partition),
                                        key=lambda item: (item[0] - item[1], item[0])):
            if any(first <= end and start <= last for start, end in kept):
                path.unlink()
                (Path(root) / TIMESERIES / partition.name / path.name).unlink(missing_ok=True)
                removed.append(path)
            else:
                kept.append((first, last))
    return removed


def _batch_ranges(partition: Path) -> list[tuple[int, int, Path]]:
    ranges = []
    for path in partition.glob("part-*.parquet"):
        match = _PART.fullmatch(path.name)
        if match:
            ranges.append((int(match.group(1)), int(match.group(2)), path))
    return ranges


def foreign_files(root: Path, definition: str) -> list[str]:
    """Files under ``root`` that the sweep ``definition`` did not write (relative, sorted).

    The sweep's files are its manifest, its parquet files (each carries the definition in
    its metadata) and its hidden temporary files.
    """
    foreign = []
    for path in sorted(Path(root).rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        if path == Path(root) / MANIFEST or _TEMPORARY in path.name:
            continue
        if not _belongs_to(path, definition):
            foreign.append(str(path.relative_to(root)))
    return foreign


def _belongs_to(path: Path, definition: str) -> bool:
    if path.is_symlink() or not path.is_file() or path.suffix != ".parquet":
        return False
    try:
        found = read_prefixed_metadata(path)
    except (OSError, ValueError, pa.ArrowException):
        return False
    return found.get("definition") == definition


def _remove_sweep(root: Path) -> None:
    """Delete the files of the sweep in ``root`` and the folders they leave empty.

    Call it only once ``foreign_files`` has found nothing else there.
    """
    for path in sorted(root.rglob("*"), key=lambda item: len(item.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        else:
            path.unlink()


def read_replicates(root: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The ``replicates`` dataset of a sweep: one row per (plan, replicate), sorted."""
    return _read_dataset(Path(root) / REPLICATES, REPLICATE_SCHEMA, columns,
                         ["plan", "replicate"])


def read_timeseries(root: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The ``timeseries`` dataset of a sweep: one row per (plan, replicate, period), sorted."""
    return _read_dataset(Path(root) / TIMESERIES, PERIOD_SCHEMA, columns,
                         ["plan", "replicate", "period"])


def _read_dataset(folder: Path, schema: pa.Schema, columns: list[str] | None,
                  order: list[str]) -> pd.DataFrame:
    full = pa.schema([pa.field("plan", pa.string()), *schema])
    wanted = columns or full.names
    if not folder.is_dir():
        return full.empty_table().select(wanted).to_pandas()
    partitioning = ds.partitioning(pa.schema([pa.field("plan", pa.string())]), flavor="hive")
    dataset = ds.dataset(folder, format="parquet", schema=full, partitioning=partitioning)
    frame = dataset.to_table(columns=wanted).to_pandas()
    keys = [key for key in order if key in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def batch_metadata(manifest: Mapping[str, Any]) -> dict[str, str]:
    """What every batch file says of its sweep: kind, definition, base seed, version, scenario.

    A file copied out of the sweep's directory still names the sweep it belongs to; the
    scenario's name is there for a sweep (a comparison's plans are its scenarios).
    """
    keys = ("kind", "definition", "base_seed", "version", "scenario_name")
    return {f"{METADATA_PREFIX}{key}": str(manifest[key]) for key in keys if key in manifest}


def read_batch_metadata(path: Path) -> dict[str, str]:
    """The sweep metadata of one batch file (``batch_metadata`` plus its ``plan``)."""
    return read_prefixed_metadata(path)


def _write_parquet(path: Path, frame: pd.DataFrame, schema: pa.Schema,
                   metadata: Mapping[str, str]) -> None:
    table = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamped = table.replace_schema_metadata(dict(metadata))
    write_atomically(path, lambda target: pq.write_table(stamped, target))


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through ``write`` to a hidden temporary file, then rename it onto ``path``."""
    temporary = path.parent / f".{path.name}{_TEMPORARY}{secrets.token_hex(4)}"
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextmanager
def output_directory(out: str | Path | None, kind: str) -> Iterator[Path]:
    """``out`` as a path, or a ``kind`` folder in a temporary directory removed afterwards."""
    if out is not None:
        yield Path(out)
        return
    with tempfile.TemporaryDirectory(prefix=f"cssim-{kind}-") as folder:
        yield Path(folder) / kind
