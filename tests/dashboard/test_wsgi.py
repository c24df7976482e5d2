"""The production entry point: `gunicorn dashboard.wsgi:server` gets a Flask app over KRATOM_DB."""

from __future__ import annotations

import os
import subprocess
import sys

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
    env = {**os.environ, "KRATOM_DB": str(model_db)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["200", "200", "Flask", "nosniff", "DENY"]
