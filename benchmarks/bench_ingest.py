"""Benchmark: validated ingest vs the floor of a plain DuckDB CSV → Parquet copy of the same file.

Generates an enforcement-cases CSV (行政執行案件, the MOJ contract) with a few bad rows, then
times, each in a fresh subprocess that reports its own wall time and peak memory (ru_maxrss):

- floor: ``COPY (SELECT * FROM read_csv(file)) TO 'x.parquet'`` with DuckDB's defaults;
- ingest: :func:`yardstick.datasets.ingest_file` (checksum, header, types, nullability, allowed
  values, ranges, org units, cross-column rules, duplicate keys, Parquet + quarantine, registry).

Reports the ratio ingest ÷ floor (target ≤ 2) and peak memory (target < 2 GiB at 10M rows), and
writes ``benchmarks/results/ingest.md`` with the command that produced it::

    .venv/bin/python benchmarks/bench_ingest.py                 # 1M rows
    .venv/bin/python benchmarks/bench_ingest.py --rows 10000000
    .venv/bin/python benchmarks/bench_ingest.py --prior-rows 1000000   # against an active batch

``--prior-rows N``: each ingest runs against a data root already holding an active batch of N
other cases of the dataset (ingested once, untimed, and copied for each run), so that the check
of the new keys against the active batches' keys is part of what is timed.
"""

from __future__ import annotations

import argparse
import json
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "ingest.md"
PLAN = REPO / "plans" / "moj-106-109"

_GENERATE = """
COPY (
    SELECT
        'AEA-' || (i + $first_case) AS case_id,
        branches[1 + i % 13] AS branch,
        kinds[1 + (i // 7) % 5] AS obligation_type,
        DATE '2015-01-01' + CAST(i % 1500 AS INTEGER) AS received_on,
        CASE WHEN i % 4 = 0 THEN NULL
             ELSE DATE '2015-01-01' + CAST(i % 1500 + (i // 13) % 700 AS INTEGER) END AS closed_on,
        CAST(1000 + (i * 7919) % 2000000 AS BIGINT) AS referred_amount,
        CASE WHEN i % 4 = 0 THEN 0
             WHEN i % 4 = 1 THEN CAST(1000 + (i * 7919) % 2000000 AS BIGINT)
             WHEN i % 4 = 2 THEN CAST((1000 + (i * 7919) % 2000000) // 2 AS BIGINT)
             ELSE 0 END
        + CASE WHEN $bad_every > 0 AND i % $bad_every = $bad_every - 1 THEN 10000000 ELSE 0 END
          AS paid_amount,
        CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN '完全繳清'
             WHEN i % 4 = 2 THEN '部分繳清' ELSE '發憑證' END AS closure
    FROM range($rows) AS t(i),
         (SELECT $branches AS branches, $kinds AS kinds)
) TO $path (FORMAT csv, HEADER)
"""

_FLOOR = """
import duckdb, json, resource, sys, time
start = time.perf_counter()
duckdb.execute("COPY (SELECT * FROM read_csv($src)) TO $dst (FORMAT parquet)",
               {"src": sys.argv[1], "dst": sys.argv[2]})
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

_INGEST = """
import json, resource, sys, time
from pathlib import Path
from yardstick.datasets import ingest_file, load_dataset_contract, load_org_units
plan = Path(sys.argv[3])
contract = load_dataset_contract(plan / "datasets", "enforcement_cases")
units = load_org_units(plan / "orgunits.yaml")
start = time.perf_counter()
result = ingest_file(contract, Path(sys.argv[1]), org_unit="MOJ.AEA", org_units=units,
                     data_dir=Path(sys.argv[2]), user="bench")
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "accepted": result.rows_accepted,
                  "quarantined": result.rows_quarantined,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

BRANCHES = [
    "TPE",
    "NWT",
    "SLN",
    "TYN",
    "HSC",
    "TCH",
    "CHA",
    "CYI",
    "TNN",
    "KHH",
    "PIF",
    "HUN",
    "ILA",
]


def generate(path: Path, rows: int, bad_every: int = 1000, first_case: int = 0) -> None:
    """Write the benchmark CSV: one row in ``bad_every`` pays more than was referred (a bad
    row), none when ``bad_every`` is 0; case numbers run from ``AEA-<first_case>``."""
    duckdb.execute(
        _GENERATE,
        {
            "rows": rows,
            "bad_every": bad_every,
            "first_case": first_case,
            "path": str(path),
            "branches": [f"MOJ.AEA.{code}" for code in BRANCHES],
            "kinds": ["稅款", "健保費", "勞保費", "罰鍰", "其他"],
        },
    )


def _measure(script: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _prior_data(work: Path, rows: int, after: int) -> Path | None:
    """A data root holding one active batch of ``rows`` other cases (None for 0 rows), numbered
    from ``after``: their text sorts among the new file's, so no Parquet statistics skip them."""
    if not rows:
        return None
    source, data = work / "prior.csv", work / "prior-data"
    generate(source, rows, 0, first_case=after)
    _measure(_INGEST, str(source), str(data), str(PLAN))
    return data


def run(
    rows: int, repeat: int, work: Path, bad_every: int = 1000, prior_rows: int = 0
) -> dict[str, object]:
    """Best-of-``repeat`` timings of the floor and of ingest on one generated file."""
    source = work / "enforcement_cases.csv"
    generate(source, rows, bad_every)
    prior = _prior_data(work, prior_rows, after=rows)
    floors, ingests = [], []
    for attempt in range(repeat):
        data = work / f"data{attempt}"
        if prior is not None:
            shutil.copytree(prior, data)
        floors.append(_measure(_FLOOR, str(source), str(work / f"floor{attempt}.parquet")))
        ingests.append(_measure(_INGEST, str(source), str(data), str(PLAN)))
    floor = min(floors, key=lambda m: m["seconds"])
    ingest = min(ingests, key=lambda m: m["seconds"])
    return {
        "rows": rows,
        "bad_every": bad_every,
        "prior_rows": prior_rows,
        "file_mib": source.stat().st_size / 2**20,
        "floor": floor,
        "ingest": ingest,
        "ratio": ingest["seconds"] / floor["seconds"],
        "paired": sorted(i["seconds"] / f["seconds"] for f, i in zip(floors, ingests, strict=True)),
        "peak_mib": max(m["peak_kib"] for m in ingests) / 1024,
        "floor_peak_mib": max(m["peak_kib"] for m in floors) / 1024,
    }


def report(results: dict[str, object], command: str) -> str:
    """The Markdown report."""
    floor, ingest = results["floor"], results["ingest"]
    assert isinstance(floor, dict) and isinstance(ingest, dict)
    return f"""# Ingest benchmark

Command: `{command}`

Machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()},
DuckDB {duckdb.__version__}; each run in a fresh subprocess, best of the repeats.

| rows | CSV size | floor: DuckDB COPY CSV → Parquet | `ingest_file` | ratio of the bests | ratio, median of pairs | peak memory (ingest) | peak memory (floor) |
|---:|---:|---:|---:|---:|---:|---:|---:|
| {results["rows"]:,} | {results["file_mib"]:.0f} MiB | {floor["seconds"]:.2f} s | {ingest["seconds"]:.2f} s | {results["ratio"]:.2f}× | {_median(results["paired"]):.2f}× | {results["peak_mib"]:.0f} MiB | {results["floor_peak_mib"]:.0f} MiB |

Each pair is the floor and then ingest, run back to back; the ratios of the pairs were
{", ".join(f"{r:.2f}" for r in results["paired"])}.

Rows accepted {int(ingest["accepted"]):,}, quarantined {int(ingest["quarantined"]):,} ({_bad_rows(results)}).
{_prior(results)}
Targets: ratio ≤ 2×, peak memory < 2 GiB at 10M rows.
"""


def _median(values: object) -> float:
    assert isinstance(values, list)
    return float(statistics.median(values))


def _bad_rows(results: dict[str, object]) -> str:
    every = results["bad_every"]
    if not every:
        return "a clean file: no bad row"
    return f"one row in {every:,} pays more than was referred, spread over the whole file"


def _prior(results: dict[str, object]) -> str:
    prior = results["prior_rows"]
    if not prior:
        return "The data root held no batch before (no keys of other batches to check)."
    return (
        f"The data root held an active batch of {prior:,} other cases of the dataset: the new "
        "keys were checked against its keys."
    )


def main() -> None:
    """Run the benchmark and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--bad-every", type=int, default=1000, help="one bad row in N (0: a clean file)"
    )
    parser.add_argument(
        "--prior-rows",
        type=int,
        default=0,
        help="rows of an active batch of other cases already in the data root",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        results = run(
            options.rows, options.repeat, Path(folder), options.bad_every, options.prior_rows
        )
    command = shlex.join(["python", "benchmarks/bench_ingest.py", *sys.argv[1:]])
    text = report(results, command)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    previous = options.output.read_text("utf-8") if options.output.exists() else ""
    sections = [s for s in previous.split("\n---\n") if s.strip() and command not in s]
    options.output.write_text("\n---\n".join([*sections, text]), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
