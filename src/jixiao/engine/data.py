"""The data file: long-form values, incidents, ballots, objects and history.

The engine's input is a :class:`DataSet` of Polars frames. Files come as one ``.xlsx`` with
sheets named after the tables, a directory of ``<table>.csv`` files, or a single ``.csv``
holding only values. Every cell is read as text first and converted here, so a bad cell is
reported by table, row and column instead of failing somewhere inside Polars.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

TABLES: dict[str, dict[str, tuple[type[pl.DataType] | pl.DataType, bool]]] = {
    # column: (dtype, required)
    "values": {
        "object": (pl.String, True),
        "object_name": (pl.String, False),
        "group": (pl.String, False),
        "indicator": (pl.String, True),
        "variable": (pl.String, False),
        "period": (pl.String, True),
        "value": (pl.Float64, True),
    },
    "incidents": {
        "object": (pl.String, True),
        "indicator": (pl.String, True),
        "item": (pl.String, False),
        "level": (pl.String, False),
        "period": (pl.String, True),
        "count": (pl.Float64, False),
        "amount": (pl.Float64, False),
        "evidence": (pl.String, False),
        "note": (pl.String, False),
    },
    "ratings": {
        "object": (pl.String, True),
        "indicator": (pl.String, True),
        "period": (pl.String, True),
        "rater": (pl.String, False),
        "rating": (pl.String, True),
        "count": (pl.Float64, False),
        "score": (pl.Float64, False),
    },
    "objects": {
        "object": (pl.String, True),
        "name": (pl.String, False),
        "group": (pl.String, True),
        "parent": (pl.String, False),
        "not_applicable": (pl.String, False),
        "oversees": (pl.String, False),
    },
    "history": {
        "object": (pl.String, True),
        "period": (pl.String, True),
        "total": (pl.Float64, True),
    },
}


@dataclass(frozen=True)
class DataProblem:
    """One bad cell or row, placed by table (sheet or file), 1-based file row and column."""

    source: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.source]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts) + f": {self.message}"


class DataError(ValueError):
    """The data was refused; nothing was scored. ``problems`` lists what was found."""

    MAX_LISTED = 200

    def __init__(self, problems: list[DataProblem], total: int | None = None):
        self.problems = problems[: self.MAX_LISTED]
        self.total = total if total is not None else len(problems)
        lines = [str(p) for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"… and {self.total - len(self.problems)} more problems")
        super().__init__("\n".join(lines))


def _empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema={c: t for c, (t, _) in TABLES[table].items()})


@dataclass(frozen=True)
class DataSet:
    """Everything reported for one assessment, in long form.

    ``values`` has one row per (object, indicator, variable, period). Its ``object``,
    ``indicator``, ``variable`` and ``period`` columns may be String or Categorical/Enum;
    categorical columns are encoded by their categories, which is what makes a city-size
    year fast. The row numbers in messages are file rows: the header is row 1.
    """

    values: pl.DataFrame = field(default_factory=lambda: _empty("values"))
    incidents: pl.DataFrame = field(default_factory=lambda: _empty("incidents"))
    ratings: pl.DataFrame = field(default_factory=lambda: _empty("ratings"))
    objects: pl.DataFrame = field(default_factory=lambda: _empty("objects"))
    history: pl.DataFrame = field(default_factory=lambda: _empty("history"))
    sources: dict[str, str] = field(default_factory=dict)
    has_objects: bool = False

    def __post_init__(self) -> None:
        for table in TABLES:
            df = getattr(self, table)
            missing = [c for c in TABLES[table] if c not in df.columns]
            if not missing:
                continue
            required = [c for c in missing if TABLES[table][c][1]]
            if required and df.height:
                raise ValueError(f"{table}: required columns missing: {', '.join(required)}")
            fill = [pl.lit(None, dtype=TABLES[table][c][0]).alias(c) for c in missing]
            object.__setattr__(self, table, df.with_columns(fill))

    def source(self, table: str) -> str:
        return self.sources.get(table, table)


def load_data(path: str | Path) -> DataSet:
    """Read a data file or directory; raise :class:`DataError` listing every bad cell."""
    p = Path(path)
    raw: dict[str, tuple[str, pl.DataFrame]] = {}
    if p.is_dir():
        for table in TABLES:
            f = p / f"{table}.csv"
            if f.exists():
                raw[table] = (f.name, _read_csv(f))
        if not raw:
            raise DataError([DataProblem(str(p), None, None, "no values.csv, incidents.csv or ratings.csv here")])
    elif p.suffix.lower() == ".csv":
        raw["values"] = (p.name, _read_csv(p))
    elif p.suffix.lower() == ".xlsx":
        raw = _read_xlsx(p)
    elif p.suffix.lower() in (".xlsm", ".xls"):
        raise DataError([DataProblem(p.name, None, None, "macro or old-format workbooks are refused; save as .xlsx")])
    else:
        raise DataError([DataProblem(p.name, None, None, "a data file is .csv, .xlsx or a directory of .csv files")])
    return dataset_from_text(raw)


def dataset_from_text(raw: dict[str, tuple[str, pl.DataFrame]]) -> DataSet:
    """Convert all-text tables to typed frames, collecting every bad cell."""
    problems: list[DataProblem] = []
    frames: dict[str, pl.DataFrame] = {}
    sources: dict[str, str] = {}
    for table, (source, df) in raw.items():
        sources[table] = source
        frames[table] = _typed(table, source, df, problems)
    if problems:
        raise DataError(problems)
    return DataSet(
        values=frames.get("values", _empty("values")),
        incidents=frames.get("incidents", _empty("incidents")),
        ratings=frames.get("ratings", _empty("ratings")),
        objects=frames.get("objects", _empty("objects")),
        history=frames.get("history", _empty("history")),
        sources=sources,
        has_objects="objects" in frames,
    )


def _typed(table: str, source: str, df: pl.DataFrame, problems: list[DataProblem]) -> pl.DataFrame:
    spec = TABLES[table]
    df = df.rename({c: c.strip().lower() for c in df.columns})
    unknown = [c for c in df.columns if c not in spec]
    for c in unknown:
        problems.append(DataProblem(source, 1, c, f"unknown column; expected {', '.join(spec)}"))
    missing = [c for c, (_, req) in spec.items() if req and c not in df.columns]
    for c in missing:
        problems.append(DataProblem(source, 1, c, "required column is missing"))
    if unknown or missing:
        return _empty(table)
    # Keep the file row of every line, so messages stay right after blank lines are dropped.
    df = df.with_row_index("_row", offset=2)
    texts = [pl.col(c).cast(pl.String).str.strip_chars().fill_null("") for c in spec if c in df.columns]
    df = df.filter(pl.any_horizontal([t != "" for t in texts]))
    rownum = df["_row"]
    out: list[pl.Series | pl.Expr] = [rownum.cast(pl.Int64).alias("_row")]
    for col, (dtype, required) in spec.items():
        if col not in df.columns:
            out.append(pl.lit(None, dtype=dtype).alias(col))
            continue
        s = df[col].cast(pl.String).str.strip_chars()
        s = pl.Series(col, s).replace("", None)
        if required:
            for i in _rows(s.is_null()):
                problems.append(DataProblem(source, int(rownum[i]), col, "empty cell; a value is required"))
        if dtype == pl.Float64:
            num = s.str.replace_all(",", "").cast(pl.Float64, strict=False)
            bad = s.is_not_null() & (num.is_null() | num.is_nan() | num.is_infinite())
            for i in _rows(bad):
                problems.append(DataProblem(source, int(rownum[i]), col, f"{s[i]!r} is not a number"))
            out.append(num.alias(col))
        else:
            out.append(s.alias(col))
    return pl.select(out)


def _rows(mask: pl.Series) -> Iterable[int]:
    """Positions where ``mask`` is true; at most a listing's worth."""
    return [int(i) for i in mask.arg_true().head(DataError.MAX_LISTED + 1)]


def file_rows(df: pl.DataFrame) -> pl.Series:
    """The file row of each line: the ``_row`` column, or position + 2 (header = row 1)."""
    if "_row" in df.columns:
        return df["_row"]
    return pl.int_range(2, df.height + 2, eager=True)


def _read_csv(path: Path) -> pl.DataFrame:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError([DataProblem(path.name, line, None, "the file is not UTF-8; save it as \"CSV UTF-8\" "
                                     "(Excel) or convert it from GBK")]) from e
    try:
        return pl.read_csv(raw, infer_schema=False)
    except Exception as e:  # Polars raises several kinds for a malformed file.
        raise DataError([DataProblem(path.name, None, None, f"cannot read the CSV: {e}")]) from e


def _read_xlsx(path: Path) -> dict[str, tuple[str, pl.DataFrame]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zip, XML and key errors for broken files.
        raise DataError([DataProblem(path.name, None, None, f"cannot open the workbook: {e}")]) from e
    out: dict[str, tuple[str, pl.DataFrame]] = {}
    try:
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            if name not in TABLES:
                continue
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            cols = [str(h).strip() if h is not None else f"column{i + 1}" for i, h in enumerate(header)]
            data: list[list[str | None]] = [[] for _ in cols]
            for r in rows:
                for i in range(len(cols)):
                    v = r[i] if i < len(r) else None
                    data[i].append(None if v is None else _cell_text(v))
            df = pl.DataFrame({c: pl.Series(c, d, dtype=pl.String) for c, d in zip(cols, data, strict=True)})
            out[name] = (f"{path.name}[{ws.title}]", df)
    finally:
        wb.close()
    if "values" not in out and "incidents" not in out and "ratings" not in out:
        raise DataError([DataProblem(path.name, None, None, "no sheet named values, incidents or ratings")])
    return out


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
