"""The Spark session yardstick runs on: one per process, where the records are, with its settings pinned.

Where: ``YARDSTICK_SPARK_MASTER`` is the one setting. ``local[*]`` (the default) runs Spark inside
this process's JVM, on this machine's cores; a cluster's master URL (``spark://host:7077``,
``yarn``, ``k8s://…``) sends the work there; a **Spark Connect** address (``sc://host:15002``)
talks to a Spark Connect server over gRPC, so this host needs no Java at all.

Pinned on every session, whatever the cluster's defaults: ANSI mode (an overflow or a bad cast is
an error, never a wrapped number or a NULL), the session time zone (``YARDSTICK_TIME_ZONE``,
Asia/Taipei by default: the ROC year of a zoned timestamp is the year in Taiwan), naive Parquet
timestamps read as naive, and SQL on files (``parquet.`path` ``) switched off, so a query can only
read the views the engine made.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from yardstick.metrics.errors import SettingError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

MASTER_VARIABLE = "YARDSTICK_SPARK_MASTER"
PARTITIONS_VARIABLE = "YARDSTICK_SPARK_SHUFFLE_PARTITIONS"
TIME_ZONE_VARIABLE = "YARDSTICK_TIME_ZONE"
DEFAULT_MASTER = "local[*]"
DEFAULT_TIME_ZONE = "Asia/Taipei"
LOCAL_SHUFFLE_PARTITIONS = 4  # the per-unit results are small: Spark's 200 would be 200 tiny tasks
_MASTER = re.compile(
    r"local(\[(\*|[1-9]\d*)(,[1-9]\d*)?\])?|(spark|k8s)://\S+|yarn|sc://\S+", re.ASCII
)
_WAREHOUSE = "yardstick-spark-warehouse"
_LOG_SETTINGS = Path(__file__).with_name("spark-log4j2.properties")
_QUIET_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")

_lock = threading.Lock()
_session: SparkSession | None = None


class SparkMissingError(SettingError):
    """pyspark is not installed, or local mode cannot start Java."""


@dataclass(frozen=True)
class SparkSettings:
    """Where Spark runs, how many shuffle partitions, and the session's time zone."""

    master: str = DEFAULT_MASTER
    shuffle_partitions: int | None = None
    time_zone: str = DEFAULT_TIME_ZONE

    @property
    def connect(self) -> bool:
        """A Spark Connect address: the session is a gRPC client, no JVM here."""
        return self.master.startswith("sc://")

    @property
    def local(self) -> bool:
        return self.master.startswith("local")

    @property
    def runtime_settings(self) -> dict[str, str]:
        """What every run sets on the session (they can be set on a running session)."""
        settings = {
            "spark.sql.ansi.enabled": "true",
            "spark.sql.session.timeZone": self.time_zone,
            "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
            "spark.sql.runSQLOnFiles": "false",
        }
        partitions = self.shuffle_partitions or (LOCAL_SHUFFLE_PARTITIONS if self.local else None)
        if partitions:
            settings["spark.sql.shuffle.partitions"] = str(partitions)
        return settings


def settings_from_environment() -> SparkSettings:
    """The Spark settings from the environment; a bad value is refused, never ignored."""
    master = os.environ.get(MASTER_VARIABLE, "").strip() or DEFAULT_MASTER
    if not _MASTER.fullmatch(master):
        raise SettingError(
            f"{MASTER_VARIABLE}={master.split(';')[0]!r}: expected local[*], a cluster's master URL "
            "(spark://host:7077, yarn, k8s://…) or a Spark Connect address (sc://host:15002)"
        )
    partitions_text = os.environ.get(PARTITIONS_VARIABLE, "").strip()
    partitions = None
    if partitions_text:
        if not (partitions_text.isascii() and partitions_text.isdigit()) or not int(
            partitions_text
        ):
            raise SettingError(
                f"{PARTITIONS_VARIABLE}={partitions_text!r}: expected a number above 0"
            )
        partitions = int(partitions_text)
    time_zone = os.environ.get(TIME_ZONE_VARIABLE, "").strip() or DEFAULT_TIME_ZONE
    if not _known_zone(time_zone):
        raise SettingError(
            f"{TIME_ZONE_VARIABLE}={time_zone!r}: expected a zone such as Asia/Taipei or UTC"
        )
    return SparkSettings(master, partitions, time_zone)


def _known_zone(name: str) -> bool:
    """A time zone of the IANA database (Asia/Taipei, UTC), as both Python and Spark know it."""
    if not re.fullmatch(r"[A-Za-z_]+(/[A-Za-z_+\-0-9]+)*", name, re.ASCII):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def spark_session(settings: SparkSettings) -> SparkSession:
    """This process's session (started on first use), with ``settings`` pinned on it."""
    global _session
    with _lock:
        if _session is None:
            _session = _start(settings)
        try:
            for name, value in settings.runtime_settings.items():
                _session.conf.set(name, value)
        except Exception as error:  # a Spark Connect server gone, a setting it refuses
            raise SettingError(
                f"the Spark session at {settings.master} refused its settings: "
                f"{str(error).splitlines()[0] if str(error) else type(error).__name__}"
            ) from None
        return _session


def stop_spark_session() -> None:
    """Stop this process's session (tests and benchmarks measuring a cold start)."""
    global _session
    with _lock:
        if _session is not None:
            _session.stop()
            _session = None


def _start(settings: SparkSettings) -> SparkSession:
    try:
        from pyspark.logger import PySparkLogger
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkMissingError(
            "the spark engine needs pyspark: pip install 'yardstick[spark]'"
        ) from None
    for name in _QUIET_LOGGERS:  # a failed query is reported once, as that KPI's reason
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL + 1)
    builder = SparkSession.builder.appName("yardstick")
    if settings.connect:
        try:
            return builder.remote(settings.master).getOrCreate()
        except Exception as error:
            raise SparkMissingError(
                f"cannot reach the Spark Connect server {settings.master.split(';')[0]} "
                f"({str(error).splitlines()[0] if str(error) else type(error).__name__})"
            ) from None
    builder = (
        builder.master(settings.master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG_SETTINGS}")
    )
    if settings.local:  # nothing outside this machine talks to a local driver
        builder = (
            builder.config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            # a local session's catalog lives in memory and ends with it: no spark-warehouse/
            # folder left in the directory the command ran in
            .config("spark.sql.warehouse.dir", str(Path(tempfile.gettempdir()) / _WAREHOUSE))
        )
    try:
        session = builder.getOrCreate()
    except Exception as error:  # the JVM did not start, or the cluster would not take the job
        needs = (
            "local mode needs Java 17 or later (Debian: openjdk-17-jre-headless); or set "
            f"{MASTER_VARIABLE} to a cluster or a Spark Connect address"
            if settings.local
            else "a cluster's master needs Java here too, and the cluster's client settings "
            "(HADOOP_CONF_DIR for yarn); a Spark Connect address (sc://…) needs neither"
        )
        raise SparkMissingError(
            f"Spark cannot start with master {settings.master} "
            f"({str(error).splitlines()[0] if str(error) else type(error).__name__}): {needs}"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return session
