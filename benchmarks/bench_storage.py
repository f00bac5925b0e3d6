"""Benchmark: ``kpi compute`` over the demo against the deployment's database (SQLite and
PostgreSQL) vs the SQLite files of earlier versions, in the same run.

Data: the demo generator's record sets at ``--scale`` (1 ≈ 10M records), ingested once into a data
folder with the file registry; the database variants import the same batches (``db
import-legacy``), so every variant reads the same Parquet files. Each variant runs in a fresh
subprocess ``--repeat`` times; medians are reported.

For each variant, two figures:

- ``fixed``: what a command pays before computing — set up Django, connect, load the stored plan
  version (or read the plan folder) and the org units, list the active batches;
- ``compute``: ``Project.compute`` over 103–109 for every KPI with reuse off — the SQL on DuckDB,
  the fingerprints, and storing every value with its lineage in the variant's store.

Goal (issue 10): the database's compute within 10 % of the files' (``compute`` ratio ≤ 1.10).
Usage::

    .venv/bin/python benchmarks/bench_storage.py --scale 1 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "plans" / "moj-106-109"
RESULTS = REPO / "benchmarks" / "results" / "storage.md"
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def measure(variant: str, data_dir: str) -> dict[str, float]:
    """Run in a subprocess: open the project, then compute every KPI for 103–109."""
    started = time.perf_counter()
    from yardstick.calendar import YearRange

    if variant == "files":
        from yardstick.metrics.project import Project

        project = Project.from_folder(PLAN, Path(data_dir))
    else:
        from yardstick.cli.context import open_project, open_storage

        project = open_project(open_storage(), None)
    project.inputs()
    opened = time.perf_counter()
    report = project.compute(YearRange(103, 109), reuse=False)
    done = time.perf_counter()
    return {"fixed": opened - started, "compute": done - opened, "values": len(report.values)}


def _child(variant: str, data_dir: Path, env: dict[str, str]) -> dict[str, float]:
    code = (
        "import json, sys; sys.path.insert(0, 'benchmarks');"
        "from bench_storage import measure;"
        f"print(json.dumps(measure({variant!r}, {str(data_dir)!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{done.stderr[-4000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _yardstick(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "yardstick.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"yardstick {' '.join(args)} failed:\n{done.stderr[-4000:]}")


def _database(env: dict[str, str], data_dir: Path) -> None:
    """A deployment over ``env``'s database holding the file registry's batches."""
    env = {**env, "PW": secrets.token_urlsafe(16)}
    _yardstick(env, "db", "migrate")
    _yardstick(env, "user", "add", "admin", "--role", "administrator", "--password-env", "PW")
    _yardstick(
        env,
        "user",
        "add",
        "planner",
        "--role",
        "planning_officer",
        "--password-env",
        "PW",
        "--as",
        "admin",
    )
    _yardstick(env, "plan", "load", str(PLAN), "--as", "planner")
    _yardstick(env, "db", "import-legacy", str(data_dir), "--as", "planner")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--data", type=Path, help="a data folder an earlier run generated at this scale (reused)"
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    data_dir = args.data or root / "data"
    if args.data is None:
        print(
            f"generating and ingesting the demo at scale {args.scale} into {data_dir} …", flush=True
        )
        from yardstick.datasets.contract import load_contracts
        from yardstick.datasets.orgunits import load_org_units
        from yardstick.demo.generate import generate

        generate(root / "files", args.scale, 106, load_contracts(PLAN / "datasets"),
                 load_org_units(PLAN / "orgunits.yaml"), data_dir=data_dir)  # fmt: skip
    base = {**os.environ, "YARDSTICK_DATA_DIR": str(data_dir), "YARDSTICK_HOME": str(root)}
    base.pop("DATABASE_URL", None)
    envs = {"files": base, "sqlite": {**base, "DATABASE_URL": f"sqlite:///{root}/bench.sqlite3"}}
    database = None
    if not args.no_postgres:
        import psycopg

        database = f"bench_storage_{secrets.token_hex(4)}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        envs["postgresql"] = {**base, "DATABASE_URL": f"{POSTGRES}/{database}"}
    try:
        for name, env in envs.items():
            if name != "files":
                _database(env, data_dir)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in envs}
        for _ in range(args.repeat):
            for name, env in envs.items():  # interleaved, so drift hits every variant alike
                runs[name].append(_child(name, data_dir, env))
    finally:
        if database:
            import psycopg

            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
    _report(args, runs)


def _report(args: argparse.Namespace, runs: dict[str, list[dict[str, float]]]) -> None:
    median = {
        name: {key: statistics.median(r[key] for r in rs) for key in ("fixed", "compute")}
        for name, rs in runs.items()
    }
    files = median["files"]
    lines = [
        f"## Scale {args.scale:g}, {args.repeat} runs each ({platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores)",
        "",
        "| store | fixed cost | compute (103–109, all KPIs, reuse off) | compute ÷ files' | values |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, figures in median.items():
        ratio = figures["compute"] / files["compute"]
        values = int(runs[name][0]["values"])
        lines.append(
            f"| {name} | {figures['fixed']:.2f} s | {figures['compute']:.2f} s | {ratio:.2f}× | {values:,} |"
        )
    worst = max(m["compute"] / files["compute"] for n, m in median.items() if n != "files")
    lines += ["", f"Goal: the database's compute within 10 % of the files' — worst ratio {worst:.2f}× "
              f"({'met' if worst <= 1.10 else 'NOT met'})."]  # fmt: skip
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Storage benchmark (`benchmarks/bench_storage.py`)\n\n"
        f"`.venv/bin/python benchmarks/bench_storage.py --scale {args.scale:g} --repeat {args.repeat}`"
        " — each variant in a fresh process, interleaved, medians. `fixed`: Django set up, the plan"
        " version and org units loaded, the active batches listed (the files: the plan folder read)."
        " `compute`: `Project.compute` for 103–109, every KPI, reuse off, values and lineage stored."
        " On PostgreSQL the values are written with COPY.\n\n"
    )
    RESULTS.write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
