"""Benchmark: the dashboard and a KPI page under 50 concurrent clients, against the site as
``make demo`` serves it (``scripts/serve.sh``: gunicorn, whitenoise, the worker beside it) on
127.0.0.1, with the demo at ``--scale`` (1: national volume), signed in as the reviewer.

Data: the demo generator's record sets, ingested once into a data folder with the file registry
(``--data`` reuses a folder an earlier run made at the same scale); each run sets up a fresh
SQLite deployment over it — ``db migrate``, ``demo accounts``, ``plan load``, ``db
import-legacy``, ``kpi compute`` for the plan's years — and serves it.

Load: ``wrk`` (Debian) for ``--duration`` seconds per page with ``--connections`` open
connections, each request carrying the session cookie of a real sign-in (a POST of the sign-in
form with its CSRF token). The baseline, in the same run against the same server: a static file
(the site's stylesheet, served by whitenoise). Reported: requests/s and p50 / p95 / p99 latency,
errors (socket errors and non-2xx answers; the goal is none). Goal (issue 11): p95 < 200 ms.

Where the time goes, beside it: for each page, in one process on the same database, the SQL
queries one request makes and the median time of a request through Django's test client
(no network, no server), so a slow page can be told apart from a slow server.

Usage::

    .venv/bin/python benchmarks/bench_web.py --scale 1 --data var/bench-web-data
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLAN_FOLDER = REPO / "plans" / "moj-106-109"
PLAN = "moj-106-109"
RESULTS = REPO / "benchmarks" / "results" / "web.md"
USER = "reviewer"
PAGES = {
    "dashboard": f"/plans/{PLAN}/",
    "KPI page (8-1)": f"/plans/{PLAN}/kpis/8-1/",
}
GOAL_P95_MS = 200.0

# wrk reports its figures through this script, as one JSON line (latencies in microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %d, "p95": %d, "p99": %d, "max": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""

PROFILE = """
import json, statistics, sys, time
from yardstick.web.bootstrap import setup_django
setup_django()
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.backends.django import Template
from django.test import Client
from yardstick.web.orgunits.stores import OrmOrgUnitStore

spent = {"sql": 0.0, "render": 0.0, "org_units": 0.0, "queries": 0}

def timed(key, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started
    return wrapper

def sql(execute, statement, params, many, context):
    spent["queries"] += 1
    return timed("sql", execute)(statement, params, many, context)

Template.render = timed("render", Template.render)
OrmOrgUnitStore.org_units = timed("org_units", OrmOrgUnitStore.org_units)
client = Client(HTTP_ACCEPT_LANGUAGE="zh-TW", HTTP_HOST="127.0.0.1")
client.force_login(get_user_model().objects.get(username=sys.argv[1]))
out = {}
for name, path in json.loads(sys.argv[2]).items():
    assert client.get(path).status_code == 200, path
    times, runs = [], 50
    for key in spent:
        spent[key] = 0
    with connection.execute_wrapper(sql):
        for _ in range(runs):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
    out[name] = {"ms": statistics.median(times) * 1e3, "queries": spent["queries"] / runs,
                 **{k: spent[k] / runs * 1e3 for k in ("sql", "render", "org_units")}}
print(json.dumps(out))
"""


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "yardstick"), *args],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"yardstick {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def _generate(data_dir: Path, files: Path, scale: float) -> None:
    from yardstick.datasets.contract import load_contracts
    from yardstick.datasets.orgunits import load_org_units
    from yardstick.demo.generate import generate

    print(f"generating and ingesting the demo at scale {scale:g} into {data_dir} …", flush=True)
    started = time.perf_counter()
    generate(files, scale, 106, load_contracts(PLAN_FOLDER / "datasets"),
             load_org_units(PLAN_FOLDER / "orgunits.yaml"), data_dir=data_dir)  # fmt: skip
    shutil.rmtree(files, ignore_errors=True)  # the batches hold the records now
    print(f"  {time.perf_counter() - started:.0f} s", flush=True)


def _deployment(env: dict[str, str], home: Path, data_dir: Path) -> dict[str, str]:
    """A fresh SQLite deployment over the data folder's batches; the demo accounts' passwords."""
    secrets = home / "var" / "demo-accounts.json"
    started = time.perf_counter()
    _run(env, "db", "migrate")
    _run(env, "demo", "accounts", "--plan-folder", str(PLAN_FOLDER), "--secrets-file", str(secrets))
    _run(env, "plan", "load", str(PLAN_FOLDER), "--as", "planner")
    _run(env, "db", "import-legacy", str(data_dir), "--as", "planner")
    _run(env, "worker", "--until-idle")
    _run(env, "kpi", "compute", "--year", "103-109")
    print(f"deployment set up in {time.perf_counter() - started:.0f} s", flush=True)
    return {a["username"]: a["password"] for a in json.loads(secrets.read_text("utf-8"))}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(env: dict[str, str], home: Path, port: int) -> subprocess.Popen[bytes]:
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        ["bash", "scripts/serve.sh"], cwd=REPO, env={**env, "DEMO_PORT": str(port)},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped:\n{(home / 'server.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer within 120 s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _sign_in(base: str, username: str, password: str) -> tuple[str, str]:
    """A real sign-in (the form, its CSRF token); the Cookie header and the stylesheet's URL."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, "no CSRF token on the sign-in form"
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", body, headers={"Referer": f"{base}/accounts/login/"}
    )
    landed = opener.open(request)
    page = landed.read().decode()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies or "/accounts/login/" in landed.url:
        raise SystemExit(f"could not sign in as {username}")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    assert stylesheet, "no stylesheet on the dashboard"
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), stylesheet.group(1)


def _check(base: str, path: str, cookie: str) -> int:
    """The page answers 200 with the signed-in view (values shown), not a sign-in redirect."""
    request = urllib.request.Request(
        f"{base}{path}", headers={"Cookie": cookie, "Accept-Language": "zh-TW"}
    )
    with urllib.request.urlopen(request) as response:
        body = response.read()
        assert response.status == 200 and "/accounts/login/" not in response.url, path
        return len(body)


def _cpu_seconds(group: int) -> float:
    """CPU time (user + system) used so far by the processes of a process group: the server's
    gunicorn master and workers, the yardstick worker and the shell that started them."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _wrk(
    base: str, path: str, cookie: str, seconds: int, connections: int, threads: int, group: int
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    server_before, wrk_before = _cpu_seconds(group), _children_cpu()
    try:
        done = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-H", f"Cookie: {cookie}", "-H", "Accept-Language: zh-TW", "-s", script.name,
             f"{base}{path}"],
            capture_output=True, text=True, check=False, timeout=seconds + 60,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"wrk failed on {path}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    finally:
        os.unlink(script.name)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["server_cpu_ms"] = (_cpu_seconds(group) - server_before) / figures["requests"] * 1e3
    figures["wrk_cpu_ms"] = (_children_cpu() - wrk_before) / figures["requests"] * 1e3
    figures["load"] = os.getloadavg()[0]
    return figures


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _profile(env: dict[str, str], pages: dict[str, str]) -> dict[str, dict[str, float]]:
    done = subprocess.run(
        [sys.executable, "-c", PROFILE, USER, json.dumps(pages)],
        cwd=REPO, env={**env, "DJANGO_SECRET_KEY": "bench-web-profile-only"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"profiling failed:\n{done.stderr[-4000:]}")
    profile: dict[str, dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--data", type=Path, help="a data folder made by an earlier run (reused)")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument(
        "--server-threads", type=int, default=1, help="threads per gunicorn process (DEMO_THREADS)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: bash scripts/install-system-deps.sh installs it")
    root = Path(tempfile.mkdtemp(prefix="bench-web-"))
    data_dir = (args.data or root / "data").resolve()
    if not (data_dir / "registry.sqlite").exists():
        _generate(data_dir, root / "files", args.scale)
    home = root / "home"
    (home / "var").mkdir(parents=True)
    env = {
        **os.environ,
        "YARDSTICK_HOME": str(home),
        "YARDSTICK_DATA_DIR": str(data_dir),
        "DEMO_THREADS": str(args.server_threads),
    }
    for name in ("DATABASE_URL", "YARDSTICK_USER", "DJANGO_SECRET_KEY"):
        env.pop(name, None)
    passwords = _deployment(env, home, data_dir)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(env, home, port)
    try:
        cookie, stylesheet = _sign_in(base, USER, passwords[USER])
        targets = {"static file (baseline)": stylesheet, **PAGES}
        sizes = {name: _check(base, path, cookie) for name, path in targets.items()}
        for path in targets.values():  # every gunicorn worker has opened the plan
            for _ in range(20):
                _check(base, path, cookie)
        loads = {}
        for name, path in targets.items():
            print(f"loading {name} ({path}) for {args.duration} s …", flush=True)
            loads[name] = _wrk(
                base, path, cookie, args.duration, args.connections, args.threads, server.pid
            )
    finally:
        _stop(server)
    profile = _profile(env, PAGES)
    _report(args, loads, sizes, profile, targets)
    shutil.rmtree(home, ignore_errors=True)


def _report(
    args: argparse.Namespace,
    loads: dict[str, dict[str, float]],
    sizes: dict[str, int],
    profile: dict[str, dict[str, float]],
    targets: dict[str, str],
) -> None:
    baseline = loads["static file (baseline)"]
    lines = [
        f"## Scale {args.scale:g}, {args.connections} connections × {args.duration} s per page "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores)",
        "",
        "| page | size | requests/s | ÷ static | p50 | p95 | p99 | errors | server CPU / request "
        "| wrk CPU / request | load average |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, load in loads.items():
        errors = sum(int(load[k]) for k in ("connect", "read", "write", "status", "timeout"))
        lines.append(
            f"| {name} `{targets[name]}` | {sizes[name] / 1024:,.1f} KiB | {load['rps']:,.0f} | "
            f"{load['rps'] / baseline['rps']:.3f} | {load['p50'] / 1e3:,.1f} ms | "
            f"{load['p95'] / 1e3:,.1f} ms | {load['p99'] / 1e3:,.1f} ms | {errors} | "
            f"{load['server_cpu_ms']:.2f} ms | {load['wrk_cpu_ms']:.2f} ms | {load['load']:.1f} |"
        )
    lines += [
        "",
        "Where a request's time goes: each page through Django's test client in one process on "
        "the same database (no server, no network; median of 50 requests, the parts their mean). "
        "Template rendering includes what the templates compute; the org units are those the "
        "page loads to open the plan (their query included); SQL is every query's time:",
        "",
        "| page | in Django | template rendering | org units loaded | SQL queries | SQL time |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, f in profile.items():
        lines.append(
            f"| {name} | {f['ms']:.1f} ms | {f['render']:.1f} ms | {f['org_units']:.1f} ms | "
            f"{f['queries']:.0f} | {f['sql']:.1f} ms |"
        )
    cores = os.cpu_count() or 1
    lines += ["", "What the server alone could answer with every core to itself (cores ÷ its CPU per "
              "request), and the median latency that gives 50 clients that never pause (Little's "
              "law: clients ÷ throughput):", ""]  # fmt: skip
    for name in PAGES:
        capacity = cores * 1e3 / loads[name]["server_cpu_ms"]
        lines.append(
            f"- {name}: {capacity:,.0f} requests/s, {args.connections / capacity * 1e3:,.0f} ms"
        )
    worst = max(loads[name]["p95"] / 1e3 for name in PAGES)
    errors = sum(
        int(load[k]) for load in loads.values() for k in ("connect", "read", "write", "status")
    )
    met = worst < GOAL_P95_MS and errors == 0
    lines += [
        "",
        f"Goal: p95 < {GOAL_P95_MS:.0f} ms with no errors — worst page p95 {worst:,.1f} ms, "
        f"{errors} errors ({'met' if met else 'NOT met'}).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    header = (
        "# Web benchmark (`benchmarks/bench_web.py`)\n\n"
        f"`.venv/bin/python benchmarks/bench_web.py --scale {args.scale:g}` — the site served as "
        "`make demo` serves it (`scripts/serve.sh`: gunicorn, 3 processes × "
        f"{args.server_threads} thread(s), whitenoise, "
        "the worker beside it) on 127.0.0.1, SQLite, signed in as the reviewer (a real sign-in "
        f"POST); `wrk -t{args.threads} -c{args.connections} -d{args.duration}s` per page, one "
        "page after the other, the stylesheet (whitenoise) as the baseline in the same run. wrk "
        "and the server share the machine's cores, and so do other programs running at the time "
        "(the load average, sampled at the end of each page's run, says how many were waiting "
        "for a core): the CPU per request is the figure that does not depend on them.\n\n"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
