"""The production entry point: `gunicorn dashboard.wsgi:server` gets a Flask app over KRATOM_DB."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_wsgi_server_answers_over_the_configured_database(model_db):
    code = (
        "from dashboard.wsgi import server\n"
        "client = server.test_client()\n"
        "page = client.get('/')\n"
        "deps = client.get('/_dash-dependencies')\n"
        "print(page.status_code, deps.status_code, type(server).__name__)\n"
        "print(page.headers['X-Content-Type-Options'], page.headers['X-Frame-Options'])\n"
    )
    out = run_wsgi(code, model_db)
    assert out.split() == ["200", "200", "Flask", "nosniff", "DENY"]


def run_wsgi(code: str, db) -> str:
    """Run `code` in a fresh interpreter (Dash's callback lists are global) over `db`."""
    env = {**os.environ, "KRATOM_DB": str(db)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


# Prints, for each of 4 requests sent at once to a worker that has served nothing yet: how many
# callbacks its map lists and whether the download callback is among them.
CONCURRENT_FIRST_REQUESTS = """
import threading
from dashboard.wsgi import server
answers, start = [], threading.Barrier(4)
def first_request():
    client = server.test_client()
    start.wait()
    deps = client.get('/_dash-dependencies').json
    answers.append((len(deps), any('download-extract' in d['output'] for d in deps)))
threads = [threading.Thread(target=first_request) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(len({n for n, _ in answers}), all(has for _, has in answers))
"""


def test_requests_arriving_together_at_a_fresh_worker_all_get_every_callback(model_db):
    # Dash registers callbacks on the first request; wsgi does that before serving, so the
    # four answers are the same full map (before: three of four listed only the router).
    assert run_wsgi(CONCURRENT_FIRST_REQUESTS, model_db).split() == ["1", "True"]


def test_a_worker_started_before_the_first_build_works_once_the_database_exists(model_db, tmp_path):
    live = tmp_path / "kratom.duckdb"
    code = (
        "import shutil, sys\n"
        "from dashboard.wsgi import server\n"
        "client = server.test_client()\n"
        "before = client.get('/_dash-layout')\n"
        "print(before.status_code, 'no database at' in before.get_data(as_text=True))\n"
        f"shutil.copyfile({str(model_db)!r}, {str(live)!r})\n"
        "after = client.get('/_dash-layout')\n"
        "print(after.status_code, 'no database at' in after.get_data(as_text=True))\n"
        "deps = client.get('/_dash-dependencies').json\n"
        "print(any('download-extract' in d['output'] for d in deps))\n"
    )
    # Before: the first request failed, and the worker never registered its callbacks.
    assert run_wsgi(code, live).split() == ["200", "True", "200", "False", "True"]


def test_the_deployment_gunicorn_config_loads():
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    out = subprocess.run(
        [gunicorn, "--check-config", "-c", "deploy/gunicorn.conf.py", "dashboard.wsgi:server"],
        cwd=REPO,
        env={**os.environ, "KRATOM_DB": str(REPO / "no-such.duckdb")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
