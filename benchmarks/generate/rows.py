"""Rows: explicit primary keys, buffered per table, written with COPY (PostgreSQL) or
``bulk_create`` (SQLite, for the tests).

Most tables get rows as dicts (``Rows.add``), which the builder may still change until they
are written (an action step closes when a later drop-in sees it embedded). The drop-ins, nine
rows in ten of the data set, are tuples in a fixed column order (``Rows.tuples``): no dict
per row. On PostgreSQL the rows are turned into COPY's text format here, in bulk, and a writer
thread sends them on the same connection while the next school is built, so the database
parses one school while Python makes the next.

``without_constraints`` drops the secondary indexes and the foreign-key and unique constraints
of the largest tables while they are filled, and puts them back, exactly as they were (their
definitions are read from the catalogue first), afterwards: building an index once is far
cheaper than maintaining it row by row, and a foreign key checked once by a join is far cheaper
than a deferred check per row at commit.
"""

import contextlib
import json
import operator
import os
import queue
import threading
import time
from collections import defaultdict
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.people.models import (
    AcademicYear,
    Membership,
    School,
    Term,
    Trust,
    User,
)
from coachloop.policy.models import SchoolModel, TrustPolicy
from coachloop.rollout.models import CoachTraining, CoverageTarget, RolloutPhase

from .plan import BATCH_SIZE, GenerateError

TABLES = (
    Trust,
    School,
    User,
    Membership,
    AcademicYear,
    Term,
    TrustPolicy,
    SchoolModel,
    Relationship,
    ActionStep,
    DropIn,
    CoverageTarget,
    RolloutPhase,
    CoachTraining,
)
# The tables filled without their secondary indexes and constraints (``without_constraints``).
BIG_TABLES = (User, Membership, Relationship, ActionStep, DropIn)
CHUNK_ROWS = 20_000  # rows per COPY chunk handed to the writer thread
REQUIRED = object()
# Each trust's rows of a table have ids in a block of their own, after the ids already used:
# trust n's from ``base + (n - 1) * ID_BLOCK + 1``. So a trust's rows are the same whichever
# process makes them and in whatever order (``generate --workers``). The trusts' own ids are
# ``base + n``.
ID_BLOCK = 2**24


def id_bases() -> dict:
    """The highest id of each table before generating (0 when empty)."""
    return {model: model._base_manager.aggregate(top=Max("id"))["top"] or 0 for model in TABLES}


class Rows:
    """Rows for each table, with ids handed out here from each trust's block (``start_trust``),
    written by ``flush``."""

    def __init__(self, bases):
        self.bases = bases
        self.next_id = {model: bases[model] + 1 for model in TABLES}
        self.block = None
        self.pending = defaultdict(list)
        self.layouts = {}  # model -> the fields of its tuple rows, in order
        self.written = defaultdict(int)
        self.writer = Writer() if connection.vendor == "postgresql" else None
        self.seconds_formatting = 0.0

    def start_trust(self, number):
        """Hand out ids from trust ``number``'s blocks from now on."""
        self.check_block()
        self.block = number
        for model in TABLES:
            self.next_id[model] = self.bases[model] + (number - 1) * ID_BLOCK + 1
        self.next_id[Trust] = self.bases[Trust] + number

    def check_block(self):
        if self.block is None:
            return
        for model in TABLES:
            end = self.bases[model] + self.block * ID_BLOCK
            if model is not Trust and self.next_id[model] > end + 1:
                raise GenerateError(
                    f"A trust has more than {ID_BLOCK} rows of {model.__name__}: ask for fewer."
                )

    def add(self, model, **values):
        values["id"] = self.next_id[model]
        self.next_id[model] += 1
        self.pending[model].append(values)
        return values

    def tuples(self, model, fields):
        """Say that ``model``'s rows come as tuples of ``fields``, appended by the builder to
        ``pending[model]`` with ids from ``next_id[model]``."""
        self.layouts[model] = tuple(fields)

    def flush(self, *, wait=True):
        """Write what is pending, parents first. With ``wait``, return once it is all in the
        database (the connection is then free for other queries); otherwise the writer thread
        may still be sending it."""
        for model in TABLES:
            rows = self.pending.pop(model, None)
            if not rows:
                continue
            self.written[model] += len(rows)
            layout = self.layouts.get(model)
            if self.writer is None:
                _bulk_create(model, rows, layout)
                continue
            began, waited = time.monotonic(), self.writer.seconds_waiting
            columns = _copy_columns(model, layout)
            for start in range(0, len(rows), CHUNK_ROWS):
                text = _copy_text(rows[start : start + CHUNK_ROWS], columns, layout)
                self.writer.send(model._meta.db_table, columns, text)
            took = time.monotonic() - began - (self.writer.seconds_waiting - waited)
            self.seconds_formatting += took
        if wait and self.writer is not None:
            self.writer.wait()

    def close(self):
        if self.writer is not None:
            self.writer.close()


# ---------------------------------------------------------------------------------------------
# Columns and COPY's text format
# ---------------------------------------------------------------------------------------------

_COLUMNS = {}


def _columns(model):
    """Each concrete column: (attname, column, the value to use when a row does not give one,
    the function that writes a value in COPY's text format)."""
    if model not in _COLUMNS:
        columns = []
        for f in model._meta.concrete_fields:
            if f.has_default() or f.null or f.empty_strings_allowed:
                # The database's own form of the default: COPY cannot write a dict as JSON.
                default = f.get_db_prep_save(f.get_default(), connection)
            else:
                default = REQUIRED
            columns.append((f.attname, f.column, default, _text_for(f)))
        _COLUMNS[model] = columns
    return _COLUMNS[model]


def _copy_columns(model, layout):
    """The columns in the order the rows give them: a tuple layout first, then the rest."""
    columns = _columns(model)
    if layout is None:
        return columns
    by_name = {c[0]: c for c in columns}
    unknown = set(layout) - set(by_name)
    if unknown:
        raise GenerateError(f"{model.__name__} has no column {sorted(unknown)[0]}.")
    rest = [c for c in columns if c[0] not in layout]
    for name, _column, default, _text in rest:
        if default is REQUIRED:
            raise GenerateError(f"A row has no value for {name!r}, which has no default.")
    return [by_name[name] for name in layout] + rest


def _escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def _text_for(field):
    """The function that writes a value of ``field`` in COPY's text format: ``str`` itself
    for numbers, dates, times and UUIDs (the commonest, and the cheapest to call)."""
    internal = field.get_internal_type()
    if internal == "BooleanField":
        return _bool
    if internal == "JSONField":
        return _json
    text = _escape if internal in STRINGS else str
    if not field.null:
        return text
    return lambda value: "\\N" if value is None else text(value)


STRINGS = {"CharField", "TextField", "EmailField", "SlugField", "URLField"}


def _bool(value):
    return "\\N" if value is None else ("t" if value else "f")


def _json(value):
    if value is None:
        return "\\N"
    value = getattr(value, "obj", value)  # psycopg's Jsonb, the database's form of a default
    return _escape(value if isinstance(value, str) else json.dumps(value))


def _copy_text(rows, columns, layout) -> str:
    texts = [c[3] for c in columns]
    if layout is not None:
        suffix = "".join("\t" + c[3](c[2]) for c in columns[len(layout) :]) + "\n"
        tab, call = "\t".join, operator.call
        return "".join([tab(map(call, texts, row)) + suffix for row in rows])
    lines = []
    for row in rows:
        try:
            values = [
                row[name] if default is REQUIRED or name in row else default
                for name, _column, default, _text in columns
            ]
        except KeyError as missing:
            raise GenerateError(
                f"A row has no value for {missing}, which has no default."
            ) from None
        lines.append("\t".join(map(operator.call, texts, values)))
    return "\n".join(lines) + "\n"


def _bulk_create(model, rows, layout):
    columns = _copy_columns(model, layout)
    objects = []
    for row in rows:
        values = row if layout is None else dict(zip(layout, row, strict=True))
        try:
            objects.append(
                model(
                    **{
                        name: values[name] if default is REQUIRED or name in values else default
                        for name, _column, default, _text in columns
                    }
                )
            )
        except KeyError as missing:
            raise GenerateError(
                f"A row has no value for {missing}, which has no default."
            ) from None
    model._base_manager.bulk_create(objects, batch_size=BATCH_SIZE)


class Writer:
    """A thread that sends COPY text to PostgreSQL on the connection of this thread, in the
    order given, so the database takes in one chunk while Python makes the next."""

    def __init__(self):
        self.raw = connection.cursor().cursor.connection  # psycopg's own connection
        self.queue = queue.Queue(maxsize=8)
        self.error = None
        self.seconds_waiting = 0.0
        self.thread = threading.Thread(target=self._run, name="benchmarks-copy", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    table, columns, text = item
                    names = ", ".join(connection.ops.quote_name(c[1]) for c in columns)
                    with (
                        self.raw.cursor() as cursor,
                        cursor.copy(
                            f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
                        ) as copy,
                    ):
                        copy.write(text)
            except Exception as error:  # noqa: BLE001 (raised again in the main thread)
                self.error = error
            finally:
                self.queue.task_done()

    def send(self, table, columns, text):
        self._check()
        began = time.monotonic()
        self.queue.put((table, columns, text))
        self.seconds_waiting += time.monotonic() - began

    def wait(self):
        began = time.monotonic()
        self.queue.join()
        self.seconds_waiting += time.monotonic() - began
        self._check()

    def close(self):
        with contextlib.suppress(Exception):
            self.queue.put(None)
            self.thread.join()

    def _check(self):
        if self.error is not None:
            raise self.error


def database_cpu_seconds():
    """CPU time of this connection's PostgreSQL backend so far (user and system), when the
    server runs on this machine (read from /proc); otherwise None. On a shared machine CPU
    time says more than the clock about where the work goes."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_sequences():
    for sql in connection.ops.sequence_reset_sql(no_style(), list(TABLES)):
        with connection.cursor() as cursor:
            cursor.execute(sql)


# ---------------------------------------------------------------------------------------------
# The largest tables without their indexes and constraints while they are filled
# ---------------------------------------------------------------------------------------------


def schema_ddl(tables) -> dict:
    """The secondary indexes and the unique, exclusion and foreign-key constraints of
    ``tables`` in the current schema, as the SQL that makes each (from the catalogue)."""
    names = [model._meta.db_table for model in tables]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, c.contype,
                   pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
              AND c.contype IN ('u', 'f', 'x')
            ORDER BY c.contype DESC, t.relname, c.conname
            """,
            [names],
        )
        constraints = [
            (table, name, kind, definition) for table, name, kind, definition in cursor.fetchall()
        ]
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                              AND c.conrelid = i.indrelid)
            ORDER BY t.relname, 1
            """,
            [names],
        )
        indexes = list(cursor.fetchall())
    return {"constraints": constraints, "indexes": indexes}


@contextlib.contextmanager
def without_constraints(tables, timings):
    """Drop the secondary indexes and constraints of ``tables`` (PostgreSQL), run the block,
    and make them again; ``timings["seconds_indexes"]`` is the time to make them."""
    if connection.vendor != "postgresql":
        yield
        return
    ddl = schema_ddl(tables)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, name, _kind, _definition in reversed(ddl["constraints"]):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {q(name)}")
        for index, _definition in ddl["indexes"]:
            cursor.execute(f"DROP INDEX {index}")
    try:
        yield
    except BaseException:
        # Out of a transaction (rows written by several processes), the schema is put back
        # even when one failed; in one, rolling back puts it back.
        if not connection.in_atomic_block:
            _make_again(ddl)
        raise
    timings["database_cpu_after"] = database_cpu_seconds()
    began = time.monotonic()
    _make_again(ddl)
    timings["seconds_indexes"] = round(time.monotonic() - began, 1)


def _make_again(ddl):
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for _index, definition in ddl["indexes"]:
            cursor.execute(definition)
        # Unique constraints before the foreign keys that may rely on them.
        for table, name, _kind, definition in ddl["constraints"]:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {q(name)} {definition}")
