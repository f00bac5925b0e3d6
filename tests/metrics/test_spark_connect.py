"""``yardstick kpi compute --engine spark`` against a Spark Connect server, from a process that
has no Java: the cluster does the work, this host only sends the compiled SQL over gRPC.

The server is Spark's own (``SparkConnectServer`` from the pyspark package, local mode, on the
loopback); the deployment is a real one (a SQLite file, the demo records ingested through the
command line). The values printed equal DuckDB's.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SERVER = "org.apache.spark.sql.connect.service.SparkConnectServer"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def connect_address(spark_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Spark Connect server on the loopback, for this module."""
    import pyspark

    home = Path(pyspark.__file__).parent
    port = _free_port()
    log_path = tmp_path_factory.mktemp("spark-connect") / "server.log"
    settings = {
        "spark.connect.grpc.binding.address": "127.0.0.1",
        "spark.connect.grpc.binding.port": str(port),
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.host": "127.0.0.1",
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "2",
    }
    command = [str(home / "bin" / "spark-submit"), "--class", SERVER, "--master", "local[2]"]
    for name, value in settings.items():
        command += ["--conf", f"{name}={value}"]
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*command, "spark-internal"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "SPARK_HOME": str(home)},
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the Spark Connect server did not start:\n{log_path.read_text()}")
                time.sleep(0.5)
        yield f"sc://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=60)


def _ministry_rows(output: str) -> list[str]:
    """The rows of the values table (a KPI code first), as printed."""
    return [line for line in output.splitlines() if line.startswith("│ ") and "-" in line[:8]]


def test_kpi_compute_on_spark_connect_needs_no_java_and_agrees_with_duckdb(
    process_site: Any, connect_address: str, tmp_path: Path
) -> None:
    site = process_site
    generated = site.run("demo", "generate", "--scale", "0.002", "--out", str(tmp_path / "files"))
    assert generated.returncode == 0, generated.stderr[-2000:]
    on_duckdb = site.run("kpi", "compute", "--year", "109", "--fresh")
    assert on_duckdb.returncode == 0, on_duckdb.stderr[-2000:]

    no_java = tmp_path / "bin"  # a PATH without java, and no JAVA_HOME
    no_java.mkdir()
    env = {**site.env, "YARDSTICK_USER": "planner", "PATH": str(no_java)}
    env.pop("JAVA_HOME", None)
    env["YARDSTICK_SPARK_MASTER"] = connect_address
    on_spark = subprocess.run(
        [sys.executable, "-m", "yardstick.cli", "kpi", "compute", "--year", "109",
         "--engine", "spark", "--fresh"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert on_spark.returncode == 0, on_spark.stderr[-3000:]
    assert "recomputed 16 (KPI, year) on spark" in on_spark.stdout
    assert _ministry_rows(on_spark.stdout) == _ministry_rows(on_duckdb.stdout)
    assert len(_ministry_rows(on_spark.stdout)) == 16
    local = subprocess.run(
        [sys.executable, "-m", "yardstick.cli", "kpi", "compute", "--year", "109",
         "--engine", "spark", "--fresh"],
        env={**env, "YARDSTICK_SPARK_MASTER": "local[1]"},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert local.returncode == 2  # local mode is what needs Java: said in one line
    assert "needs Java 17 or later" in local.stderr and "Traceback" not in local.stderr
