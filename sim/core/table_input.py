"""Reading a user's table (CSV or parquet) and reporting every bad cell at once.

Each problem is one line naming the file, the row (the CSV line number, header = line 1; or the
parquet row counting from 1), the column and the value. A table with any problem is refused as a
whole (``InputError``), so nothing is run or written from a partly valid file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.core.errors import InputError, short_repr

MAX_LISTED = 50
"""Most problem lines listed; the rest are counted in one last line."""


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV (every cell read as text, blanks as empty strings) or parquet file as a frame.

    Raises:
        InputError: the file is missing, unreadable or not a table.
    """
    path = Path(path)
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise InputError([f"{path}: no such file"]) from None
    except (OSError, ValueError, ImportError) as error:
        raise InputError([f"{path}: cannot be read as a table ({error})"]) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    return frame


class Problems:
    """Collects the bad cells of one table."""

    def __init__(self, path: str | Path, frame: pd.DataFrame) -> None:
        self.path = str(path)
        self.csv = Path(path).suffix.lower() not in (".parquet", ".pq")
        self.lines: list[str] = []
        self.frame = frame
        self._text: dict[str, pd.Series] = {}

    def where(self, row: int) -> str:
        """How a row is named: its CSV line, or its parquet row (from 1)."""
        return f"line {row + 2}" if self.csv else f"row {row + 1}"

    def add(self, row: int | None, column: str, value: object, reason: str) -> None:
        """Record one problem (row None: the column as a whole)."""
        place = "" if row is None else f"{self.where(row)}, "
        self.lines.append(f"{self.path}: {place}column {column} = {short_repr(value)}: {reason}")

    def add_rows(self, rows: Iterable[int], column: str, reason: str) -> None:
        """Record the same problem for several rows, each with its own value."""
        values = self.frame.get(column, None)
        for row in rows:
            self.add(int(row), column, None if values is None else values.iloc[int(row)], reason)

    def require(self, columns: Iterable[str]) -> bool:
        """Record each missing column; whether all are present."""
        missing = [column for column in columns if column not in self.frame.columns]
        for column in missing:
            self.lines.append(f"{self.path}: column {column} is missing (columns found: "
                              f"{', '.join(map(str, self.frame.columns)) or 'none'})")
        return not missing

    def raise_any(self) -> None:
        """Raise ``InputError`` with every problem line if there is any."""
        if not self.lines:
            return
        lines = self.lines[:MAX_LISTED]
        if len(self.lines) > MAX_LISTED:
            lines.append(f"{self.path}: ... and {len(self.lines) - MAX_LISTED} more problems "
                         "of the same kinds")
        raise InputError(lines)

    def text(self, column: str) -> pd.Series:
        """A column as stripped text (missing values as empty strings), computed once."""
        if column not in self._text:
            self._text[column] = _as_text(self.frame[column])
        return self._text[column]

    def numbers(self, column: str, minimum: float | None = None, integer: bool = False,
                required: bool = True) -> np.ndarray:
        """A numeric column; bad, missing or out-of-range cells are recorded (as NaN)."""
        text = self.text(column)
        values = pd.to_numeric(text.str.replace(",", "", regex=False).str.lstrip("$"),
                               errors="coerce").to_numpy(dtype=float, copy=True)
        blank = (text == "").to_numpy()
        bad = ~np.isfinite(values) & (~blank | required)
        self.add_rows(np.flatnonzero(bad & blank), column, "missing")
        self.add_rows(np.flatnonzero(bad & ~blank), column, "not a number")
        good = np.isfinite(values)
        if minimum is not None:
            low = good & (values < minimum)
            self.add_rows(np.flatnonzero(low), column, f"must be >= {minimum:g}")
            values[low] = np.nan
        if integer:
            fraction = np.isfinite(values) & (values != np.round(values))
            self.add_rows(np.flatnonzero(fraction), column, "must be a whole number")
            values[fraction] = np.nan
        return values

    def dates(self, column: str, required: bool = True) -> np.ndarray:
        """A date column (ISO ``YYYY-MM-DD``) as days since 1970-01-01 (NaN where blank)."""
        text = self.text(column)
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        blank = (text == "").to_numpy()
        bad = parsed.isna().to_numpy() & (~blank | required)
        self.add_rows(np.flatnonzero(bad & blank), column, "missing")
        self.add_rows(np.flatnonzero(bad & ~blank), column, "not a date (YYYY-MM-DD)")
        days = (parsed - pd.Timestamp("1970-01-01")).dt.days
        return days.to_numpy(dtype=float, na_value=np.nan)


def _as_text(values: pd.Series) -> pd.Series:
    """Cells as text the way a CSV would hold them (parquet columns keep their types)."""
    present = values.notna()
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime("%Y-%m-%d")
    else:
        text = values.astype(str).str.strip()
    return text.where(present, "").astype(object)
