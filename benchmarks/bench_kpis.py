"""Benchmark: computing the MOJ KPIs vs a floor, expert SQL, pandas and Polars, in the same run.

Data: the demo generator's record sets at each scale (scale 1 ≈ 7.3M enforcement cases and 2.2M
prosecution cases for ROC 106–109, plus the small sets). Each variant runs in a fresh subprocess
(so peak memory, ru_maxrss, is its own), three times; the median time is reported.

Variants, all over 106–109 and every org-unit level (unit, its agency, the ministry):

- ``floor``: DuckDB reading just the needed columns of the two big sets, trivial aggregates by year;
- ``expert``: one hand-written DuckDB query per big dataset, a single pass aggregating by
  (year, unit) with FILTER, then the rollup over the unit hierarchy with GROUPING SETS;
- ``pandas``: read the columns, compute per year and unit level with groupby;
- ``polars``: scan_parquet, lazy group_by;
- ``yardstick``: :func:`yardstick.metrics.run.compute_values` for 8-1 and 4-1 (the KPIs over the
  two big sets, ~99 % of the records) — like for like with the baselines;
- ``yardstick_all``: all 13 record-based KPIs (the 3 others are entered values);
- ``spark`` and ``spark_all``: the same two computations on the Spark engine, local mode
  (``local[*]``: this machine's cores), reading the same Parquet files; the session's start-up
  (the JVM, the SparkContext) is timed apart and reported beside, not in, the row.

Every baseline's 8-1 and 4-1 ministry values are checked against yardstick's. Usage::

    .venv/bin/python benchmarks/bench_kpis.py --scales 1,5
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "plans" / "moj-106-109"
RESULTS = REPO / "benchmarks" / "results" / "kpis.md"
YEARS = (106, 109)
MEMORY_LIMIT = "1GB"
VARIANTS = (
    "floor",
    "expert",
    "pandas",
    "polars",
    "yardstick",
    "yardstick_all",
    "spark",
    "spark_all",
)

# 8-1: a partly paid case is recorded as 部分繳清 or by its final closure, and told by the amounts
PARTLY_PAID = ("部分繳清", "發憑證", "撤回", "退回")
EFFECTIVE = (
    "closure = '完全繳清' OR (closure IN ('部分繳清', '發憑證', '撤回', '退回') AND ("
    "(referred_amount < 200000 AND paid_amount * 2 > referred_amount)"
    " OR (referred_amount >= 200000 AND referred_amount < 1000000 AND paid_amount * 5 > referred_amount * 3)"
    " OR (referred_amount >= 1000000 AND paid_amount * 4 > referred_amount * 3)))"
)


def _files(data: Path) -> dict[str, str]:
    return {path.stem: str(path) for path in data.glob("*.parquet")}


def _units() -> list[tuple[str, str, str]]:
    """(unit, its agency, the ministry) for every unit, as the expert and dataframe variants roll up."""
    from yardstick.datasets.orgunits import load_org_units

    units = load_org_units(PLAN / "orgunits.yaml")
    rows = []
    for unit in units:
        path = units.path(unit.code)
        rows.append((unit.code, path[min(1, len(path) - 1)], path[0]))
    return rows


def floor(data: Path) -> dict[str, float]:
    import duckdb

    files = _files(data)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(
        "SELECT year(closed_on), count(*), sum(referred_amount), sum(paid_amount), count(closure), count(branch) "
        "FROM read_parquet(?) WHERE closed_on >= DATE '2017-01-01' AND closed_on < DATE '2021-01-01' GROUP BY 1",
        [files["enforcement_cases"]],
    ).fetchall()
    con.execute(
        "SELECT year(closed_on), count(*), sum(date_diff('day', received_on, closed_on)), count(case_word), count(prosecutors_office) "
        "FROM read_parquet(?) WHERE closed_on >= DATE '2017-01-01' AND closed_on < DATE '2021-01-01' GROUP BY 1",
        [files["prosecution_cases"]],
    ).fetchall()
    return {}


def expert(data: Path) -> dict[str, float]:
    import duckdb

    files = _files(data)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("CREATE TABLE units (unit VARCHAR, agency VARCHAR, ministry VARCHAR)")
    con.executemany("INSERT INTO units VALUES (?, ?, ?)", _units())
    enforcement = con.execute(
        f"""WITH per_unit AS (
              SELECT year(closed_on) - 1911 AS y, branch AS unit,
                     count(*) FILTER (WHERE {EFFECTIVE}) AS effective, count(*) AS closed
              FROM read_parquet(?) WHERE closed_on >= DATE '2017-01-01' AND closed_on < DATE '2021-01-01'
              GROUP BY ALL)
            SELECT y, ministry, agency, u.unit, sum(effective) * 100.0 / sum(closed) AS value
            FROM per_unit p JOIN units u USING (unit)
            GROUP BY GROUPING SETS ((y, ministry), (y, ministry, agency), (y, ministry, agency, u.unit))""",
        [files["enforcement_cases"]],
    ).fetchall()
    prosecution = con.execute(
        """WITH per_unit AS (
              SELECT year(closed_on) - 1911 AS y, prosecutors_office AS unit,
                     sum(date_diff('day', received_on, closed_on)) AS days, count(*) AS cases
              FROM read_parquet(?) WHERE closed_on >= DATE '2017-01-01' AND closed_on < DATE '2021-01-01' AND case_word = '偵'
              GROUP BY ALL)
            SELECT y, ministry, agency, u.unit, sum(days) / sum(cases) AS value
            FROM per_unit p JOIN units u USING (unit)
            GROUP BY GROUPING SETS ((y, ministry), (y, ministry, agency), (y, ministry, agency, u.unit))""",
        [files["prosecution_cases"]],
    ).fetchall()
    return _ministry(enforcement, "8-1") | _ministry(prosecution, "4-1")


def _ministry(rows: list[tuple[Any, ...]], kpi: str) -> dict[str, float]:
    return {
        f"{kpi}/{y}": float(value)
        for y, _, agency, unit, value in rows
        if agency is None and unit is None
    }


def pandas(data: Path) -> dict[str, float]:
    import pandas as pd

    files = _files(data)
    units = pd.DataFrame(_units(), columns=["unit", "agency", "ministry"])
    cases = pd.read_parquet(
        files["enforcement_cases"],
        columns=["branch", "closed_on", "referred_amount", "paid_amount", "closure"],
    )
    cases = cases[cases["closed_on"].notna()]
    cases["y"] = pd.to_datetime(cases["closed_on"]).dt.year - 1911
    cases = cases[cases["y"].between(*YEARS)]
    r, p, c = cases["referred_amount"], cases["paid_amount"], cases["closure"]
    partly = c.isin(PARTLY_PAID) & (
        ((r < 200_000) & (p * 2 > r))
        | ((r >= 200_000) & (r < 1_000_000) & (p * 5 > r * 3))
        | ((r >= 1_000_000) & (p * 4 > r * 3))
    )
    cases["effective"] = ((c == "完全繳清") | partly).astype(int)
    out = _pandas_levels(
        cases.merge(units, left_on="branch", right_on="unit"),
        "effective",
        lambda s: s.mean() * 100,
        "8-1",
    )
    prosecution = pd.read_parquet(
        files["prosecution_cases"],
        columns=["prosecutors_office", "case_word", "received_on", "closed_on"],
    )
    prosecution = prosecution[(prosecution["case_word"] == "偵") & prosecution["closed_on"].notna()]
    prosecution["y"] = pd.to_datetime(prosecution["closed_on"]).dt.year - 1911
    prosecution = prosecution[prosecution["y"].between(*YEARS)]
    prosecution["days"] = (
        pd.to_datetime(prosecution["closed_on"]) - pd.to_datetime(prosecution["received_on"])
    ).dt.days
    merged = prosecution.merge(units, left_on="prosecutors_office", right_on="unit")
    return out | _pandas_levels(merged, "days", lambda s: s.mean(), "4-1")


def _pandas_levels(
    frame: Any, column: str, aggregate: Callable[[Any], Any], kpi: str
) -> dict[str, float]:
    result: dict[str, float] = {}
    for level in (["ministry"], ["ministry", "agency"], ["ministry", "agency", "unit"]):
        grouped = frame.groupby(["y", *level])[column].agg(aggregate)
        if level == ["ministry"]:
            result |= {f"{kpi}/{y}": float(v) for (y, _), v in grouped.items()}
    return result


def polars(data: Path) -> dict[str, float]:
    import polars as pl

    files = _files(data)
    units = pl.DataFrame(_units(), schema=["unit", "agency", "ministry"], orient="row").lazy()
    r, p, c = pl.col("referred_amount"), pl.col("paid_amount"), pl.col("closure")
    partly = c.is_in(PARTLY_PAID) & (
        ((r < 200_000) & (p * 2 > r))
        | ((r >= 200_000) & (r < 1_000_000) & (p * 5 > r * 3))
        | ((r >= 1_000_000) & (p * 4 > r * 3))
    )
    cases = (
        pl.scan_parquet(files["enforcement_cases"])
        .filter(pl.col("closed_on").is_not_null())
        .with_columns(
            (pl.col("closed_on").dt.year() - 1911).alias("y"),
            ((c == "完全繳清") | partly).cast(pl.Int64).alias("effective"),
        )
        .filter(pl.col("y").is_between(*YEARS))
        .join(units, left_on="branch", right_on="unit")
    )
    prosecution = (
        pl.scan_parquet(files["prosecution_cases"])
        .filter((pl.col("case_word") == "偵") & pl.col("closed_on").is_not_null())
        .with_columns(
            (pl.col("closed_on").dt.year() - 1911).alias("y"),
            (pl.col("closed_on") - pl.col("received_on")).dt.total_days().alias("days"),
        )
        .filter(pl.col("y").is_between(*YEARS))
        .join(units, left_on="prosecutors_office", right_on="unit")
    )
    result: dict[str, float] = {}
    for frame, column, kpi, scale in (
        (cases, "effective", "8-1", 100.0),
        (prosecution, "days", "4-1", 1.0),
    ):
        for level in (
            ["ministry"],
            ["ministry", "agency"],
            ["ministry", "agency", "branch" if kpi == "8-1" else "prosecutors_office"],
        ):
            grouped = frame.group_by(["y", *level]).agg(pl.col(column).mean() * scale).collect()
            if level == ["ministry"]:
                result |= {
                    f"{kpi}/{row['y']}": float(row[column]) for row in grouped.iter_rows(named=True)
                }
    return result


def _yardstick(data: Path, codes: list[str] | None, engine: str = "duckdb") -> dict[str, float]:
    from yardstick.calendar import YearRange
    from yardstick.datasets.contract import load_contracts
    from yardstick.datasets.orgunits import load_org_units
    from yardstick.metrics.catalog import COMPUTED, load_definitions
    from yardstick.metrics.engines import BatchInput
    from yardstick.metrics.engines.duckdb import DuckDBEngine
    from yardstick.metrics.run import compute_values
    from yardstick.metrics.service import metric_inputs

    batches = {
        name: [BatchInput(name, name, Path(path), "-", 0)] for name, path in _files(data).items()
    }
    inputs = metric_inputs(
        load_contracts(PLAN / "datasets"), load_org_units(PLAN / "orgunits.yaml"), batches
    )
    definitions = [
        d
        for code, d in load_definitions(PLAN / "metrics").items()
        if isinstance(d, COMPUTED) and (codes is None or code in codes)
    ]

    def duckdb_engine(i: Any) -> Any:
        return DuckDBEngine(i.batches, i.unit_paths, MEMORY_LIMIT)

    def spark_engine(i: Any) -> Any:
        from yardstick.metrics.engines.spark import SparkEngine
        from yardstick.metrics.engines.spark_session import settings_from_environment

        return SparkEngine(i.batches, i.unit_paths, settings_from_environment())

    values = compute_values(
        definitions,
        inputs,
        YearRange(*YEARS),
        spark_engine if engine == "spark" else duckdb_engine,
    )  # type: ignore[arg-type]
    return {
        f"{v.kpi}/{v.year}": float(v.value)
        for v in values
        if v.org_unit == inputs.root and v.kpi in ("8-1", "4-1") and v.value is not None
    }


def yardstick(data: Path) -> dict[str, float]:
    return _yardstick(data, ["8-1", "4-1"])


def yardstick_all(data: Path) -> dict[str, float]:
    return _yardstick(data, None)


def spark(data: Path) -> dict[str, float]:
    return _yardstick(data, ["8-1", "4-1"], "spark")


def spark_all(data: Path) -> dict[str, float]:
    return _yardstick(data, None, "spark")


def _start_spark() -> float:
    """Start this process's Spark session (local mode); the seconds it took."""
    from yardstick.metrics.engines.spark_session import settings_from_environment, spark_session

    started = time.perf_counter()
    spark_session(settings_from_environment()).sql("SELECT 1").collect()
    return time.perf_counter() - started


def run_variant(name: str, data: Path) -> None:
    """In a subprocess: run one variant, print its time, peak memory and values as JSON.

    Libraries are imported before the clock starts (each variant pays its own once per process;
    what is compared is the work).
    """
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import polars  # noqa: F401

    import yardstick.metrics.engines.duckdb  # noqa: F401
    import yardstick.metrics.run  # noqa: F401
    import yardstick.metrics.service  # noqa: F401

    startup = _start_spark() if name.startswith("spark") else 0.0
    started = time.perf_counter()
    values = globals()[name](data)
    seconds = time.perf_counter() - started
    peak = _peak_mib()
    print(json.dumps({"seconds": seconds, "startup": startup, "peak_mib": peak, "values": values}))


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would carry the parent's over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, data: Path, repeats: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, __file__, "--variant", name, "--data", str(data)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "startup": statistics.median(r["startup"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "values": runs[0]["values"],
    }


def generate_data(scale: float, folder: Path) -> int:
    from yardstick.datasets.contract import load_contracts
    from yardstick.datasets.orgunits import load_org_units
    from yardstick.demo.generate import generate

    files = generate(
        folder,
        scale,
        106,
        load_contracts(PLAN / "datasets"),
        load_org_units(PLAN / "orgunits.yaml"),
    )
    for generated in files:  # the Big5 CSV set becomes Parquet too, as the ingest would make it
        if generated.path.suffix == ".csv":
            from pyarrow import csv, parquet

            table = csv.read_csv(generated.path, read_options=csv.ReadOptions(encoding="cp950"))
            parquet.write_table(table, generated.path.with_suffix(".parquet"))
    return sum(g.rows for g in files)


def check(results: dict[str, dict[str, Any]]) -> None:
    reference = results["yardstick"]["values"]
    for name in ("expert", "pandas", "polars", "spark", "spark_all"):
        if name not in results:
            continue
        for key, value in reference.items():
            other = results[name]["values"][key]
            assert abs(other - value) <= 1e-6 * max(1.0, abs(value)), (name, key, other, value)


def table(scale: float, rows: int, results: dict[str, dict[str, Any]]) -> list[str]:
    ours = results["yardstick"]["seconds"]
    lines = [
        f"### scale {scale:g} ({rows:,} records)",
        "",
        "| variant | seconds (median of 3) | vs yardstick (8-1, 4-1) | peak MiB |",
        "|---|---:|---:|---:|",
    ]
    for name in (v for v in VARIANTS if v in results):
        r = results[name]
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {r['seconds'] / ours:.2f}× | {r['peak_mib']:.0f} |"
        )
    lines += [
        "",
        f"- yardstick ÷ expert SQL: **{ours / results['expert']['seconds']:.2f}×** (goal ≤ 1.25×)",
        f"- pandas ÷ yardstick: **{results['pandas']['seconds'] / ours:.1f}×** (goal ≥ 15×)",
        f"- Polars ÷ yardstick: **{results['polars']['seconds'] / ours:.2f}×** (goal > 1×)",
        f"- yardstick, all 13 record-based KPIs: {results['yardstick_all']['seconds']:.2f} s, peak {results['yardstick_all']['peak_mib']:.0f} MiB (goal < 1024 MiB at scale 5)",
        "",
    ]
    if "spark" in results:
        lines[-1:] = [
            f"- Spark local ÷ DuckDB: **{results['spark']['seconds'] / ours:.1f}×** (8-1, 4-1), "
            f"**{results['spark_all']['seconds'] / results['yardstick_all']['seconds']:.1f}×** "
            f"(all 13); the Spark session's start-up, apart: {results['spark']['startup']:.1f} s "
            "(peak MiB is the Python process only: Spark's JVM is a process of its own)",
            "",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="1")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--variant")
    parser.add_argument(
        "--without-spark",
        action="store_true",
        help="leave the spark variants out (the test suite's run: Spark's values are tested apart)",
    )
    parser.add_argument("--data", type=Path)
    parser.add_argument(
        "--no-write", action="store_true", help="do not write benchmarks/results/kpis.md"
    )
    args = parser.parse_args()
    if args.variant:
        run_variant(args.variant, args.data)
        return
    command = "python benchmarks/bench_kpis.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    lines = [
        "# KPI computation benchmark",
        "",
        f"Command: `{command}`",
        f"Machine: {platform.machine()}, 2 cores; {time.strftime('%Y-%m-%d')}",
        "",
    ]
    for scale in (float(s) for s in args.scales.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            rows = generate_data(scale, Path(folder))
            variants = [v for v in VARIANTS if not (args.without_spark and v.startswith("spark"))]
            results = {name: measure(name, Path(folder), args.repeats) for name in variants}
            check(results)
            lines += table(scale, rows, results)
            print("\n".join(table(scale, rows, results)))
    if not args.no_write:
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
