"""Apache Spark: the same compiled queries, run where the records are (this machine, a cluster).

Each dataset becomes a temporary view of this run: its active batches' Parquet files read in
place (no copy), or its external table at the version the lineage names
(:mod:`.spark_tables`). The unit hierarchy is a small DataFrame. A query is the compiled tree
rendered for Spark and read back (:func:`~.rendering.render`); it can name only this run's views,
since SQL on files is off and the tree holds no other table. It runs under a job tag, and a timer
interrupts the tag at the time limit. The session is the process's (:mod:`.spark_session`).

Least privilege on a cluster is the cluster's: run yardstick as a principal that may read the
bound tables and the batches' storage, and nothing else.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from yardstick.metrics.engines import BatchInput, QueryFailed, spark_message
from yardstick.metrics.engines.limits import time_limit
from yardstick.metrics.engines.rendering import render
from yardstick.metrics.engines.spark_session import SparkSettings, spark_session
from yardstick.metrics.engines.spark_tables import read_table
from yardstick.metrics.errors import QueryTimeLimitError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_UNITS = "units"  # the unit hierarchy's view; the datasets' are records_<dataset>
_JOB_PROPERTIES = ("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel")


class SparkEngine:
    """Runs compiled queries on a Spark session over the batches' Parquet files or bound tables."""

    name = "spark"
    dialect = "spark"

    def __init__(
        self,
        inputs: Mapping[str, Sequence[BatchInput]],
        unit_paths: Sequence[Sequence[str | None]],
        settings: SparkSettings,
        time_limit_seconds: float | None = None,
    ) -> None:
        self.settings = settings
        self.session: SparkSession = spark_session(settings)
        self.seconds = time_limit_seconds or time_limit()
        self._prefix = f"yardstick_{secrets.token_hex(4)}"
        self._views: dict[str, str] = {}
        self._queries = 0
        try:
            self._register(_UNITS, self._unit_frame(unit_paths))
            for dataset, batches in inputs.items():
                if batches:
                    self._register(f"records_{dataset}", self._records(batches))
        except BaseException:
            self.close()
            raise

    def _register(self, name: str, frame: DataFrame) -> None:
        view = f"{self._prefix}_{name}"
        frame.createOrReplaceTempView(view)
        self._views[name] = view

    def _unit_frame(self, rows: Sequence[Sequence[str | None]]) -> DataFrame:
        from pyspark.sql.types import StringType, StructField, StructType

        depth = len(rows[0]) - 1 if rows else 1
        names = ["unit", *(f"level_{d}" for d in range(1, depth + 1))]
        schema = StructType([StructField(name, StringType()) for name in names])
        return self.session.createDataFrame([tuple(row) for row in rows], schema)

    def _records(self, batches: Sequence[BatchInput]) -> DataFrame:
        tables = [batch for batch in batches if batch.table]
        if tables:
            [table] = tables  # a bound dataset reads its table only
            return read_table(self.session, table)
        paths = [str(batch.path) for batch in batches]
        return self.session.read.option("mergeSchema", "true").parquet(*paths)

    def source(self, dataset: str) -> exp.Expr:
        return exp.to_table(self._views[f"records_{dataset}"])

    def unit_paths(self) -> exp.Expr:
        return exp.to_table(self._views[_UNITS])

    def fetch(self, query: exp.Expr) -> list[tuple[Any, ...]]:
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException

        text = render(query, self.dialect)
        self._queries += 1
        tag = f"{self._prefix}_{self._queries}"
        deadline = _Deadline(self.session, tag, self.seconds, self.settings.connect)
        try:
            with deadline:
                rows = self.session.sql(text).collect()
        except (PySparkException, Py4JError) as error:
            if deadline.expired:
                raise QueryTimeLimitError(
                    f"the query ran longer than the time limit of {self.seconds:g} s "
                    "(YARDSTICK_QUERY_TIME_LIMIT) and was stopped"
                ) from None
            raise QueryFailed(self.name, spark_message(error)) from None
        return [tuple(row) for row in rows]

    def close(self) -> None:
        """Drop the run's views; one that cannot be dropped (the session is gone) is left to
        the session's end, and never hides the error that brought the run here."""
        views, self._views = list(self._views.values()), {}
        for view in views:
            with suppress(Exception):
                self.session.catalog.dropTempView(view)


class _Deadline:
    """Marks the query's jobs and cancels them once they run past ``seconds``.

    Local and cluster sessions mark them with a job group (``cancelJobGroup``); a Spark Connect
    session with an operation tag (``interruptTag``). The cancelling repeats until the query
    returns: a query still being planned has no job yet, and a cancel reaches only jobs that run.
    """

    _EVERY = 0.25  # seconds between cancels once the time is up

    def __init__(self, session: SparkSession, tag: str, seconds: float, connect: bool) -> None:
        self.session, self.tag, self.connect = session, tag, connect
        self.expired = False
        self._finished = threading.Event()
        self._before: list[str | None] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        if self.connect:
            self.session.addTag(self.tag)
        else:  # the thread's job group, put back after (a caller may have set its own)
            context = self.session.sparkContext
            self._before = [context.getLocalProperty(name) for name in _JOB_PROPERTIES]
            context.setJobGroup(self.tag, "yardstick query", True)
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._finished.set()
        self._timer.cancel()
        with suppress(Exception):  # a session gone meanwhile: the query's own error tells
            if self.connect:
                self.session.removeTag(self.tag)
            else:
                context = self.session.sparkContext
                for name, value in zip(_JOB_PROPERTIES, self._before, strict=True):
                    context.setLocalProperty(name, value)  # type: ignore[arg-type]

    def _expire(self) -> None:
        self.expired = True
        while not self._finished.is_set():
            with suppress(Exception):  # the next try, or the query's own end, will tell
                if self.connect:
                    self.session.interruptTag(self.tag)
                else:
                    self.session.sparkContext.cancelJobGroup(self.tag)
            self._finished.wait(self._EVERY)
