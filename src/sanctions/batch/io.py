"""Customer files in and alert files out.

Input: CSV (UTF-8, header row) or Parquet, read in chunks. Columns are mapped by name (case-insensitive):
`name` (required), `birth_date`, `nationality`, `country`, `type`, `id`; every other column is passed through
to the output unchanged. A row without an `id` gets its 1-based row number as query id.

Output: one row per alert, as CSV, Parquet or JSON lines chosen by the file's extension (JSON lines on stdout
when there is no file). Output is written to a temporary file next to the target and renamed into place only
when the whole input has been screened, so a failed run never leaves a half-written file.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sanctions.model import SourceError

QUERY_COLUMNS = ("name", "birth_date", "nationality", "country", "type", "id")
ALERT_COLUMNS = ("query_id", "query_name", "entity_id", "score", "matched_name", "caption", "source", "explanation")
KINDS = ("person", "organization", "vessel", "aircraft")


@dataclass
class Layout:
    """Where the query fields are in the input's columns."""

    columns: list[str]
    pos: dict[str, int]  # query field -> column position
    extra: list[int] = field(default_factory=list)  # passed-through column positions

    @property
    def extra_names(self) -> list[str]:
        out = []
        for i in self.extra:
            c = self.columns[i]
            out.append(c if c not in ALERT_COLUMNS else f"input_{c}")
        return out


# A query row as shipped to workers: (row number, name, kind, birth date, nationality, country, id, extras)
Row = tuple[int, str, Any, Any, Any, Any, Any, tuple]


def layout_of(columns: list[str], path: str) -> Layout:
    pos: dict[str, int] = {}
    for i, c in enumerate(columns):
        key = (c or "").strip().lower()
        if key == "kind":
            key = "type"
        if key in QUERY_COLUMNS and key not in pos:
            pos[key] = i
    if "name" not in pos:
        shown = ", ".join(columns[:8]) + (" ..." if len(columns) > 8 else "")
        raise SourceError(f"no 'name' column (columns: {shown or 'none'})", path, "line 1")
    extra = [i for i in range(len(columns)) if i not in pos.values()]
    return Layout(list(columns), pos, extra)


def file_format(path: str) -> str:
    low = path.lower()
    if low.endswith((".parquet", ".pq")):
        return "parquet"
    if low.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if low.endswith((".csv", ".txt", ".csv.gz")):
        return "csv"
    raise SourceError("unknown file type (expected .csv, .parquet or .jsonl)", path)


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if not isinstance(v, str):
        v = str(v)
    v = v.strip()
    return v or None


def _row(layout: Layout, values: list[Any], number: int, path: str) -> Row:
    p = layout.pos
    name = values[p["name"]]
    name = "" if name is None else str(name)
    kind = _clean(values[p["type"]]) if "type" in p else None
    if kind is not None:
        kind = kind.lower()
        if kind == "individual":
            kind = "person"
        elif kind in ("entity", "company", "org"):
            kind = "organization"
        if kind not in KINDS:
            raise SourceError(f"column 'type': unknown type {kind!r} (expected one of {', '.join(KINDS)})",
                              path, f"row {number}")
    qid = _clean(values[p["id"]]) if "id" in p else None
    return (
        number,
        name,
        kind,
        _clean(values[p["birth_date"]]) if "birth_date" in p else None,
        _clean(values[p["nationality"]]) if "nationality" in p else None,
        _clean(values[p["country"]]) if "country" in p else None,
        qid if qid is not None else str(number),
        tuple(values[i] for i in layout.extra),
    )


class Reader:
    """`Reader(path).layout` after opening; iterate `chunks(n)` for lists of `Row`."""

    def __init__(self, path: str):
        self.path = path
        if not os.path.isfile(path):
            raise SourceError("cannot read the file (not found)", path)
        self.format = file_format(path)
        if self.format == "jsonl":
            raise SourceError("JSON lines input is not supported; use CSV or Parquet", path)
        self._pf = None
        try:
            if self.format == "parquet":
                import pyarrow.parquet as pq

                self._pf = pq.ParquetFile(path)
                columns = list(self._pf.schema_arrow.names)
                self.total = self._pf.metadata.num_rows
            else:
                with open(path, encoding="utf-8-sig", newline="") as fh:
                    header = next(csv.reader(fh), None)
                if header is None:
                    raise SourceError("empty file (no header row)", path, "line 1")
                columns = header
                self.total = None
        except SourceError:
            raise
        except UnicodeDecodeError as exc:
            raise SourceError(f"not UTF-8 text ({exc.reason})", path, "line 1") from exc
        except Exception as exc:  # pyarrow errors, OSError
            raise SourceError(f"cannot read the file ({exc})", path) from exc
        self.layout = layout_of(columns, path)

    def count_rows(self) -> int | None:
        """Row count for the progress bar (a fast newline count for CSV; quoted newlines make it approximate)."""
        if self.total is not None:
            return self.total
        n = 0
        last = b""
        with open(self.path, "rb") as fh:
            while True:
                b = fh.read(1 << 22)
                if not b:
                    break
                n += b.count(b"\n")
                last = b
            if n and not last.endswith(b"\n"):
                n += 1
        return max(n - 1, 0)

    def chunks(self, size: int = 2000) -> Iterator[list[Row]]:
        if self.format == "parquet":
            yield from self._parquet_chunks(size)
        else:
            yield from self._csv_chunks(size)

    def _csv_chunks(self, size: int) -> Iterator[list[Row]]:
        layout = self.layout
        width = len(layout.columns)
        line = 1
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                next(reader, None)
                chunk: list[Row] = []
                number = 0
                for values in reader:
                    line = reader.line_num
                    if not values:
                        continue
                    number += 1
                    if len(values) != width:
                        if len(values) < width:
                            values = values + [None] * (width - len(values))
                        else:
                            raise SourceError(f"{len(values)} fields, the header has {width}", self.path,
                                              f"line {line}")
                    chunk.append(_row(layout, values, number, self.path))
                    if len(chunk) >= size:
                        yield chunk
                        chunk = []
                if chunk:
                    yield chunk
        except UnicodeDecodeError as exc:
            raise SourceError(f"not UTF-8 text ({exc.reason})", self.path, f"after line {line}") from exc
        except csv.Error as exc:
            raise SourceError(f"bad CSV ({exc})", self.path, f"line {line}") from exc

    def _parquet_chunks(self, size: int) -> Iterator[list[Row]]:
        layout = self.layout
        number = 0
        try:
            for batch in self._pf.iter_batches(batch_size=size):
                cols = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
                chunk = []
                for values in zip(*cols, strict=True):
                    number += 1
                    chunk.append(_row(layout, list(values), number, self.path))
                yield chunk
        except SourceError:
            raise
        except Exception as exc:
            raise SourceError(f"cannot read the file ({exc})", self.path, f"row {number + 1}") from exc


def _json_default(v: Any) -> Any:
    return str(v)


class Writer:
    """Alert rows out; `commit()` renames the temporary file into place, `abort()` removes it."""

    def __init__(self, path: str | None, columns: list[str]):
        self.path = path
        self.columns = list(columns)
        self.rows = 0
        self.format = file_format(path) if path else "jsonl"
        self._tmp = None
        self._pq = None
        self._buf: list[list[Any]] = []
        if path is None:
            self._fh = sys.stdout
            return
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise SourceError("output folder does not exist", path)
        fd, self._tmp = tempfile.mkstemp(prefix=".partial-", suffix="-" + os.path.basename(path), dir=folder)
        if self.format == "parquet":
            os.close(fd)
            self._fh = None
        else:
            self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
            if self.format == "csv":
                self._csv = csv.writer(self._fh)
                self._csv.writerow(self.columns)

    def write(self, rows: list[list[Any]]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        if self.format == "csv":
            self._csv.writerows(rows)
        elif self.format == "jsonl":
            cols = self.columns
            w = self._fh.write
            for r in rows:
                w(json.dumps(dict(zip(cols, r, strict=True)), ensure_ascii=False, default=_json_default) + "\n")
        else:
            self._buf.extend(rows)
            if len(self._buf) >= 50_000:
                self._flush_parquet()

    def _flush_parquet(self, final: bool = False) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buf and not (final and self._pq is None):
            return
        data = {c: [r[i] for r in self._buf] for i, c in enumerate(self.columns)}
        arrays = {}
        for c, vals in data.items():
            if c == "score":
                arrays[c] = pa.array(vals, type=pa.float64())
            else:
                arrays[c] = pa.array([None if v is None else str(v) for v in vals], type=pa.string())
        table = pa.table(arrays)
        if self._pq is None:
            self._pq = pq.ParquetWriter(self._tmp, table.schema)
        self._pq.write_table(table)
        self._buf = []

    def commit(self) -> None:
        if self.path is None:
            self._fh.flush()
            return
        if self.format == "parquet":
            self._flush_parquet(final=True)
            self._pq.close()
        else:
            self._fh.close()
        os.replace(self._tmp, self.path)
        self._tmp = None

    def abort(self) -> None:
        if self._tmp is None:
            return
        try:
            if self._pq is not None:
                self._pq.close()
            elif self._fh is not None and self._fh is not sys.stdout:
                self._fh.close()
        finally:
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
            self._tmp = None
