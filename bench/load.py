"""`make load`: the portal under concurrent users, at 100,000 programs (see bench/LOAD.md).

1. The `make bench` database (`portal_bench`, or BENCH_DATABASE_URL): reused when it exists, otherwise created
   with `bench/run.py --seed-only`. The load's own accounts (`load-*`: IRO members, focal points, Committee
   experts with an authenticator, API clients with a token) are created or refreshed in it.
2. One request at a time, in-process with the production settings: the API list of 50 — server time next to the
   time of its SQL (the issue asks for at most 2×) — and the main pages.
3. gunicorn (production settings, `gunicorn.conf.py`, on 127.0.0.1 only) and a Celery worker on Redis
   (REDIS_URL, default db 12), then locust, headless, bounded in users, duration and request count
   (bench/locustfile.py). Production needs its variables: the script gives them (a throwaway secret, loopback
   hosts, mail to nowhere, documents in a temporary directory). No TLS proxy stands in front: secure cookies and
   the HTTPS redirect are off, everything else is production's.
4. p50/p95/p99 and errors per endpoint against the targets, the memory of each gunicorn worker and of the Celery
   worker after the run; the report goes to stdout and between the markers of bench/LOAD.md (--results).

Only processes this script starts are stopped, by their process ids.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib.util
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-1540"  # the load accounts' only password; they exist in the bench database only
BEGIN, END = "<!-- make load: begin -->", "<!-- make load: end -->"

# (endpoint name in the locustfile, target p95 in ms) — issue 13, at 20 concurrent users.
TARGETS = {
    "api: program list (50)": 100,
    "web: program list": 150,
    "web: program detail": 80,
    "api: program detail": 80,
    "web: search": 150,
    "web: dashboard": 200,
    "web: cooperation map": 400,
}

# Who signs in: (kind, username suffix, role, organization acronym or None).
ACCOUNTS = (
    [("member", f"member-{i}", "member", org) for i, org in enumerate(
        ["B1", "B2", "IRO-003", "IRO-004", "IRO-010", "IRO-050", "IRO-120", "IRO-199"], 1)]
    + [("focal_point", f"fp-{i}", "focal_point", org) for i, org in enumerate(["B1", "IRO-005", "IRO-020", "B2"], 1)]
    + [("committee", f"committee-{i}", "committee", None) for i in range(1, 6)]
    + [("api", f"api-{i}", "member", org) for i, org in enumerate(
        ["B1", "IRO-003", "B2", "IRO-004", "IRO-006", "IRO-007", "IRO-008", "B1"], 1)]
)  # fmt: skip


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", BASE_DIR / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def database_exists(url: str) -> bool:
    conn, name = bench_module().admin_connection(url)
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    conn.close()
    return found


def production_env(url: str, source: Path, documents: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "MIGRATION_DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="load-test-only-" + hashlib.sha256(os.urandom(16)).hexdigest(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL="dummymail://",
        DATABASE_URL=url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://localhost:6379/12"),
        DOCUMENTS_ROOT=str(documents),
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(source),
    )
    return env


# --- step 1: the accounts -----------------------------------------------------------------------------------


def prepare_accounts(url: str, out: Path) -> None:
    """Create or refresh the load accounts (run in a child process: Django set up on the bench database)."""
    bench = bench_module()
    bench.setup_django(url)
    from django.core.management import call_command  # after django.setup()
    from django.db import transaction

    # A kept bench database may predate the code: bring its schema up to date first.
    call_command("migrate", verbosity=0)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from iros.models import Membership, Organization, ThematicArea
    from portal.accounts.models import ApiToken, User
    from portal.accounts.services import api_token_create_for_automation
    from programs.models import Program

    if not Program.thematic_areas.through.objects.exists():
        # A bench database from before the context was seeded: add it (the programs themselves do not change).
        with transaction.atomic():
            bench.seed_context(bench.random.Random(bench.SEED + 1))
    assert ThematicArea.objects.exists()
    accounts: dict[str, list[dict]] = {}
    organizations = {org.acronym: org for org in Organization.objects.all()}
    for kind, suffix, role, acronym in ACCOUNTS:
        username = f"load-{suffix}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, email=f"{username}@load.invalid", role=role)
        if user.role != role or not user.check_password(PASSWORD):
            user.role = role
            user.set_password(PASSWORD)
            user.save()
        if acronym:
            Membership.objects.update_or_create(user=user, defaults={"organization": organizations[acronym]})
        account = {"username": username, "password": PASSWORD, "organization": acronym}
        if role in ("committee", "focal_point"):
            # Production asks these roles for a second factor: an authenticator whose key the locust user knows.
            key = hashlib.sha256(f"load-totp-{username}".encode()).hexdigest()[:40]
            TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
            device, _created = TOTPDevice.objects.get_or_create(
                user=user, defaults={"name": "load", "key": key, "confirmed": True}
            )
            device.last_t = -1  # a new run may sign in within the 30 seconds of the last one
            device.save(update_fields=["last_t"])
            account["totp_key"] = key
        if kind == "api":
            ApiToken.objects.filter(user=user).delete()
            _token, account["token"] = api_token_create_for_automation(user=user, name="make load")
        accounts.setdefault(kind, []).append(account)
    out.write_text(json.dumps(accounts, indent=1))


# --- step 2: one request at a time -------------------------------------------------------------------------


SINGLE_PAGES = [
    ("api: program list (50)", "api", "/api/v1/programs/?page_size=50"),
    ("api: program list (50), Committee", "api-committee", "/api/v1/programs/?page_size=50"),
    ("web: program list", "member", "/programs/"),
    ("web: program detail", "member", None),
    ("web: search", "member", "/search/?q=border+security+cooperation"),
    ("web: dashboard", "member", "/"),
    ("web: dashboard, Committee", "committee", "/"),
    ("web: program list, Committee", "committee", "/programs/"),
    ("web: IGO tables", "committee", "/igo-tables/"),
    ("web: cooperation map", "committee", "/cooperation/"),
    ("web: cooperation map, sub-regions", "committee", "/cooperation/?level=subregion"),
]


def single_requests(accounts_file: Path, rounds: int, out: Path) -> None:
    """Each page `rounds` times in-process (production settings): median total and SQL time, queries."""
    import django  # after the environment names the settings

    django.setup()
    from django.db import connection
    from django.test import Client

    from portal.accounts.models import Role, User

    accounts = json.loads(accounts_file.read_text())
    member = User.objects.get(username=accounts["member"][0]["username"])
    committee = User.objects.filter(role=Role.COMMITTEE, username__startswith="load-").first()
    clients = {who: Client(HTTP_HOST="localhost") for who in ("member", "committee", "api", "api-committee")}
    clients["member"].force_login(member)
    clients["committee"].force_login(committee)
    token = accounts["api"][0]["token"]
    headers = {"api": {"HTTP_AUTHORIZATION": f"Token {token}"}}
    from portal.accounts.services import api_token_create_for_automation  # after django.setup()

    _token, committee_key = api_token_create_for_automation(user=committee, name="make load, one at a time")
    headers["api-committee"] = {"HTTP_AUTHORIZATION": f"Token {committee_key}"}
    detail_id = clients["api"].get("/api/v1/programs/?page_size=1", **headers["api"]).json()["results"][0]["id"]

    sql = {"seconds": 0.0, "queries": 0}

    def timed(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["seconds"] += time.perf_counter() - started
            sql["queries"] += 1

    def session_otp(client):
        # Committee experts owe a second factor in production: mark the forced session as verified.
        session = client.session
        from django_otp.plugins.otp_totp.models import TOTPDevice  # after django.setup()

        device = TOTPDevice.objects.filter(user_id=session["_auth_user_id"]).first()
        if device is not None:
            session["otp_device_id"] = device.persistent_id
            session.save()

    session_otp(clients["committee"])
    results = []
    for name, who, path in SINGLE_PAGES:
        path = path or f"/programs/{detail_id}/"
        client = clients[who]
        extra = headers.get(who, {})
        for _ in range(3):  # warm: templates, translations, process caches
            response = client.get(path, **extra)
            assert response.status_code == 200, (name, response.status_code)
        totals, sqls, queries = [], [], []
        with connection.execute_wrapper(timed):
            for _ in range(rounds):
                sql.update(seconds=0.0, queries=0)
                started = time.perf_counter()
                client.get(path, **extra)
                totals.append(time.perf_counter() - started)
                sqls.append(sql["seconds"])
                queries.append(sql["queries"])
        results.append(
            {
                "name": name,
                "path": path,
                "total_ms": statistics.median(totals) * 1000,
                "sql_ms": statistics.median(sqls) * 1000,
                "queries": statistics.median(queries),
            }
        )
    out.write_text(json.dumps(results, indent=1))


def static_files_stale(source: Path) -> bool:
    """Whether the portal's own static files changed since the last collectstatic (packages' files do not)."""
    manifest = source / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    return any(path.stat().st_mtime > collected for path in (source / "static").rglob("*") if path.is_file())


# --- step 3: the servers and locust ------------------------------------------------------------------------


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within {seconds:.0f} s")


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(value) for value in text.split()]


def memory(pid: int) -> dict[str, float]:
    """Resident and proportional set size (MiB) of one process, from /proc."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _sep, rest = line.partition(":")
            if key in ("Rss", "Pss", "Private_Dirty", "Private_Clean"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        return {}
    return {
        "rss": values.get("Rss", 0.0),
        "pss": values.get("Pss", 0.0),
        "private": values.get("Private_Dirty", 0.0) + values.get("Private_Clean", 0.0),
    }


def stop(process: subprocess.Popen, sig=signal.SIGTERM, seconds: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read_stats(prefix: Path) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": row["Name"],
                    "type": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                    "rps": float(row["Requests/s"] or 0),
                }
            )
    return rows


# The locustfile's endpoint names, recognised from the access log's request line: (name, method, path pattern).
ENDPOINTS = [
    ("api: program list (50, filtered)", "GET", r"^/api/v1/programs/\?.*status="),
    ("api: program list (50)", "GET", r"^/api/v1/programs/\?"),
    ("api: program detail", "GET", r"^/api/v1/programs/\d+/$"),
    ("web: program list (keywords)", "GET", r"^/programs/\?q="),
    ("web: program list", "GET", r"^/programs/(\?page=\d+)?$"),
    ("web: program list (filtered)", "GET", r"^/programs/\?"),
    ("web: program detail", "GET", r"^/programs/\d+/$"),
    ("web: program form", "GET", r"^/programs/new/$"),
    ("web: program create", "POST", r"^/programs/new/$"),
    ("web: program edit form", "GET", r"^/programs/\d+/edit/$"),
    ("web: program share", "POST", r"^/programs/\d+/edit/$"),
    ("web: program export (CSV)", "GET", r"^/programs/export\.csv"),
    ("web: search", "GET", r"^/search/"),
    ("web: dashboard", "GET", r"^/$"),
    ("web: cooperation map", "GET", r"^/cooperation/"),
    ("web: IGO interactions", "GET", r"^/igo-tables/interactions/"),
    ("web: IGO tables export (XLSX)", "GET", r"^/igo-tables/export\.xlsx"),
    ("web: IGO tables", "GET", r"^/igo-tables/$"),
    ("web: organization profile", "GET", r"^/organizations/[^/]+/$"),
]
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) .* (?P<ms>\d+)ms$')


def server_times(log: Path) -> dict[str, list[float]]:
    """Milliseconds each request spent in a gunicorn worker (the access log's last field), per endpoint name:
    what the server did, without the time the request waited for a free worker."""
    patterns = [(name, method, re.compile(pattern)) for name, method, pattern in ENDPOINTS]
    times: dict[str, list[float]] = {}
    for line in log.read_text(errors="replace").splitlines():
        match = ACCESS_LINE.search(line)
        if match is None:
            continue
        for name, method, pattern in patterns:
            if match["method"] == method and pattern.search(match["path"]):
                times.setdefault(name, []).append(float(match["ms"]))
                break
    return times


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def machine(url: str) -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    server = subprocess.run(
        ["psql", url, "-Atc", "SHOW server_version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    memory_total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(memory_total) // 1024} MiB, {platform.system()} {platform.release()},"
        f" Python {platform.python_version()}, PostgreSQL {server or '?'}"
    )


def report(args, stats, single, memories, started, load_before, load_after, url, served=None) -> str:
    lines = [f"### {args.label} — {started:%Y-%m-%d %H:%M %Z}", ""]
    lines.append(f"- machine: {machine(url)}")
    lines.append(
        f"- load average (1, 5, 15 min) before: {', '.join(f'{v:.2f}' for v in load_before)}; after:"
        f" {', '.join(f'{v:.2f}' for v in load_after)} (the machine is shared: other sessions' tests run too)"
    )
    lines.append(
        f"- gunicorn: `{' '.join(args.gunicorn_args) or 'gunicorn.conf.py'}` from `{args.source}`;"
        f" production settings; Celery worker `--concurrency {args.celery_concurrency}`"
    )
    lines.append(
        f"- locust: {args.users} users, spawn rate {args.spawn_rate}/s, {args.run_time} after ramp-up (stats reset"
        f" once every user has signed in), at most {args.max_requests} requests, think time"
        f" {os.environ.get('LOAD_WAIT_MIN', '1')}–{os.environ.get('LOAD_WAIT_MAX', '3')} s; locust runs on the same"
        " 2 cores"
    )
    served = served or {}
    lines += [
        "",
        "As locust saw them (p50/p95/p99), and the time the requests spent in a gunicorn worker (access log; the rest"
        " is waiting for a free worker):",
        "",
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | in worker p50 / p95 ms | target p95 | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in stats:
        target = TARGETS.get(row["name"])
        met = "" if target is None else ("yes" if row["p95"] <= target and not row["failures"] else "**no**")
        name = "**all**" if row["name"] == "Aggregated" else f"{row['type']} {row['name']}"
        worker = served.get(row["name"]) or []
        in_worker = f"{quantile(worker, 0.5):.0f} / {quantile(worker, 0.95):.0f}" if worker else ""
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['p50']:.0f} | {row['p95']:.0f} |"
            f" {row['p99']:.0f} | {in_worker} | {'' if target is None else f'≤ {target}'} | {met} |"
        )
    if single:
        lines += ["", "One request at a time, in-process, production settings (median of the rounds):", ""]
        lines += ["| page | total ms | SQL ms | total / SQL | queries |", "|---|---|---|---|---|"]
        for row in single:
            ratio = row["total_ms"] / row["sql_ms"] if row["sql_ms"] else float("inf")
            lines.append(
                f"| {row['name']} | {row['total_ms']:.1f} | {row['sql_ms']:.1f} | {ratio:.2f} | {row['queries']:.0f} |"
            )
    lines += ["", "Memory after the run (MiB; PSS shares the pages the processes share):", ""]
    lines += ["| process | RSS | PSS | private |", "|---|---|---|---|"]
    for name, values in memories:
        if values:
            lines.append(f"| {name} | {values['rss']:.0f} | {values['pss']:.0f} | {values['private']:.0f} |")
    return "\n".join(lines) + "\n"


def write_results(path: Path, text: str) -> None:
    current = path.read_text() if path.exists() else "# `make load`\n\n"
    block = f"{BEGIN}\n{text}{END}"
    if BEGIN in current and END in current:
        head, _sep, rest = current.partition(BEGIN)
        _old, _sep, tail = rest.partition(END)
        current = head + block + tail
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(current)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--run-time", default="180s", help="after every user has started (default 180s)")
    parser.add_argument("--max-requests", type=int, default=20000, help="locust stops after this many requests")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--source", type=Path, default=BASE_DIR, help="the portal's tree gunicorn serves")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=30, help="rounds of the one-at-a-time measurement")
    parser.add_argument("--no-single", action="store_true", help="skip the one-at-a-time measurement")
    parser.add_argument("--label", default="make load")
    parser.add_argument("--results", type=Path, default=BASE_DIR / "bench" / "LOAD.md")
    parser.add_argument("gunicorn_args", nargs="*", help="after --: extra gunicorn arguments")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--single", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.users < 1 or args.users > 200 or args.max_requests < 1:
        parser.error("users between 1 and 200, at least one request")

    if args.single:
        # In the served tree's environment (production settings): nothing of this tree is imported.
        return single_requests(args.single[0], args.rounds, args.single[1])
    url = bench_module().bench_url()
    if args.prepare:
        return prepare_accounts(url, args.prepare)

    python = sys.executable
    bin_dir = Path(python).parent
    source = args.source.resolve()
    work = Path(tempfile.mkdtemp(prefix="portal-load-"))
    documents = work / "documents"
    documents.mkdir()
    env = production_env(url, source, documents)
    started = dt.datetime.now().astimezone()

    if not database_exists(url):
        print("No bench database: creating it with bench/run.py --seed-only (a few minutes).", flush=True)
        subprocess.run([python, str(BASE_DIR / "bench" / "run.py"), "--seed-only"], check=True)
    accounts = work / "accounts.json"
    subprocess.run([python, __file__, "--prepare", str(accounts)], check=True, env={**os.environ, "PYTHONPATH": ""})
    if static_files_stale(source):
        print("accounts ready; collecting static files (compressing them takes a few minutes)", flush=True)
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=source, env=env, check=True)
    single = []
    if not args.no_single:
        print("one request at a time (production settings, in-process)", flush=True)
        single_file = work / "single.json"
        subprocess.run(
            [python, __file__, "--rounds", str(args.rounds), "--single", str(accounts), str(single_file)],
            cwd=source,
            env=env,
            check=True,
        )
        single = json.loads(single_file.read_text())
        for row in single:
            print(
                f"  {row['name']}: {row['total_ms']:.1f} ms, SQL {row['sql_ms']:.1f} ms, {row['queries']:.0f} queries"
            )

    subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=False, capture_output=True)
    prefix = work / "locust"
    with (work / "celery.log").open("w") as celery_log, (work / "gunicorn.log").open("w") as gunicorn_log:
        celery = subprocess.Popen(
            [str(bin_dir / "celery"), "-A", "portal", "worker", "--loglevel", "warning",
             "--concurrency", str(args.celery_concurrency), "--hostname", f"load-{os.getpid()}@%h"],
            cwd=source, env=env, stdout=celery_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        gunicorn = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{args.port}", *args.gunicorn_args],
            cwd=source, env=env, stdout=gunicorn_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(f"http://127.0.0.1:{args.port}/health/", 60)
            load_before = os.getloadavg()
            print(f"locust: {args.users} users for {args.run_time} (logs in {work})", flush=True)
            subprocess.run(
                [str(bin_dir / "locust"), "-f", str(BASE_DIR / "bench" / "locustfile.py"), "--headless",
                 "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time,
                 "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--reset-stats",
                 "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
                env={**os.environ, "LOAD_ACCOUNTS": str(accounts), "LOAD_MAX_REQUESTS": str(args.max_requests)},
                check=False,
            )  # fmt: skip
            load_after = os.getloadavg()
            time.sleep(3)  # the worker finishes what the last requests queued
            memories = [(f"gunicorn worker {i}", memory(pid)) for i, pid in enumerate(children(gunicorn.pid), 1)]
            memories.append(("gunicorn master", memory(gunicorn.pid)))
            memories.append(("Celery worker (main process)", memory(celery.pid)))
            memories += [
                (f"Celery worker (pool child {i})", memory(pid)) for i, pid in enumerate(children(celery.pid), 1)
            ]
        finally:
            stop(gunicorn)
            stop(celery)
    stats = read_stats(prefix)
    served = server_times(work / "gunicorn.log")
    text = report(args, stats, single, memories, started, load_before, load_after, url, served)
    print()
    print(text)
    write_results(args.results, text)
    print(f"written to {args.results}")
    return None


if __name__ == "__main__":
    main()
