"""The CPU one request costs, in-process with the production settings, on the `make load` database.

    python bench/cpu.py                      # every page, 15 rounds each: medians
    python bench/cpu.py --pages api --rounds 30 --profile /tmp/api.prof

On a machine shared with other work, wall times say little; CPU time does not depend on who else runs. For each
page: the Django process's CPU (`time.process_time`) and its PostgreSQL backend's (`/proc/<pid>/schedstat`,
nanoseconds), median over the rounds, plus the queries. Parallel query workers would spend CPU outside the
backend's own process, so the measuring connection runs with `max_parallel_workers_per_gather=0`: all of a
query's work is then counted (a parallel plan costs the same CPU, spread over more processes). `--profile FILE`
writes a cProfile of the rounds of the pages measured (read it with `python -m pstats FILE`).

The accounts are `make load`'s (`bench/load.py` creates or refreshes them); the database is BENCH_DATABASE_URL
(default `portal_bench`), which must exist (`bench/run.py --seed-only`).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "bench"))

import load  # noqa: E402  (bench/load.py: the accounts and the production environment)

PAGES = {
    "api": ("api", "/api/v1/programs/?page_size=50"),
    "api-committee": ("api-committee", "/api/v1/programs/?page_size=50"),
    "api-detail": ("api", "/api/v1/programs/{detail}/"),
    "detail": ("member", "/programs/{detail}/"),
    "search": ("member", "/search/?q=border+security+cooperation"),
    "igo-tables": ("committee", "/igo-tables/"),
    "dashboard": ("member", "/"),
    "dashboard-committee": ("committee", "/"),
    "list": ("member", "/programs/"),
    "map-committee": ("committee", "/cooperation/?level=continent"),
    "map-committee-countries": ("committee", "/cooperation/?level=country"),
    "map": ("member", "/cooperation/?level=continent"),
}


def backend_cpu_ns(pid: int) -> int:
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def measure(accounts_file: Path, pages: list[str], rounds: int, profile: Path | None) -> list[dict]:
    import django  # after the environment names the settings

    django.setup()
    from django.db import connection
    from django.test import Client

    from portal.accounts.models import Role, User
    from portal.accounts.services import api_token_create_for_automation

    accounts = json.loads(accounts_file.read_text())
    member = User.objects.get(username=accounts["member"][0]["username"])
    committee = User.objects.filter(role=Role.COMMITTEE, username__startswith="load-").order_by("pk").first()
    clients = {who: Client(HTTP_HOST="localhost") for who in ("member", "committee", "api", "api-committee")}
    clients["member"].force_login(member)
    clients["committee"].force_login(committee)
    session = clients["committee"].session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=committee).first()
    if device is not None:  # production asks the Committee for a second factor
        session["otp_device_id"] = device.persistent_id
        session.save()
    _token, committee_key = api_token_create_for_automation(user=committee, name="bench/cpu.py")
    headers = {
        "api": {"HTTP_AUTHORIZATION": f"Token {accounts['api'][0]['token']}"},
        "api-committee": {"HTTP_AUTHORIZATION": f"Token {committee_key}"},
    }
    detail = clients["api"].get("/api/v1/programs/?page_size=1", **headers["api"]).json()["results"][0]["id"]

    queries = {"count": 0}

    def counted(execute, sql, params, many, context):
        queries["count"] += 1
        return execute(sql, params, many, context)

    profiler = cProfile.Profile() if profile else None
    results = []
    for name in pages:
        who, path = PAGES[name]
        path = path.format(detail=detail)
        client, extra = clients[who], headers.get(who, {})
        for _ in range(3):  # warm: templates, translations, the connection, process caches
            response = client.get(path, **extra)
            assert response.status_code == 200, (name, response.status_code)
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        python, backend, counts = [], [], []
        with connection.execute_wrapper(counted):
            for _ in range(rounds):
                queries["count"] = 0
                cpu, db = time.process_time(), backend_cpu_ns(pid)
                if profiler:
                    profiler.enable()
                client.get(path, **extra)
                if profiler:
                    profiler.disable()
                python.append(time.process_time() - cpu)
                backend.append((backend_cpu_ns(pid) - db) / 1e9)
                counts.append(queries["count"])
        results.append(
            {
                "page": name,
                "python_ms": round(statistics.median(python) * 1000, 1),
                "postgres_ms": round(statistics.median(backend) * 1000, 1),
                "queries": statistics.median(counts),
            }
        )
    if profiler:
        profiler.dump_stats(str(profile))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default=",".join(PAGES), help=f"comma-separated, of: {', '.join(PAGES)}")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the measured requests to this file")
    parser.add_argument("--accounts", type=Path, help="reuse this accounts file (skips refreshing the accounts)")
    parser.add_argument("--source", type=Path, default=BASE_DIR, help="measure this tree (an export of main: before)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process's output file
    args = parser.parse_args()
    pages = args.pages.split(",")
    if args.measure:
        args.measure.write_text(json.dumps(measure(args.accounts, pages, args.rounds, args.profile)))
        return

    url = load.bench_module().bench_url()
    if not load.database_exists(url):
        sys.exit(f"{url} does not exist: create it with bench/run.py --seed-only")
    with tempfile.TemporaryDirectory(prefix="portal-cpu-") as work:
        work = Path(work)
        accounts = args.accounts
        if accounts is None:
            accounts = work / "accounts.json"
            subprocess.run(
                [sys.executable, str(BASE_DIR / "bench" / "load.py"), "--prepare", str(accounts)], check=True
            )
        out = work / "cpu.json"
        source = args.source.resolve()
        env = load.production_env(url, source, work / "documents")
        if load.static_files_stale(source):  # the pages' templates name the manifest's files
            print("collecting static files (compressing them takes a few minutes)", flush=True)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=source,
                env=env,
                check=True,
            )
        command = [sys.executable, __file__, "--measure", str(out), "--accounts", str(accounts)]
        command += ["--pages", args.pages, "--rounds", str(args.rounds)]
        if args.profile:
            command += ["--profile", str(args.profile.resolve())]
        subprocess.run(command, check=True, env=env, cwd=source)
        results = json.loads(out.read_text())
    print(f"{'page':24} {'python ms':>10} {'postgres ms':>12} {'total ms':>9} {'queries':>8}")
    for row in results:
        total = row["python_ms"] + row["postgres_ms"]
        print(f"{row['page']:24} {row['python_ms']:>10} {row['postgres_ms']:>12} {total:>9.1f} {row['queries']:>8}")


if __name__ == "__main__":
    main()
