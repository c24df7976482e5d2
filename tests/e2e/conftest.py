"""Real headless Chromium (Debian's) against a real Dash server over the model fixture database."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import REPO

# expect()'s own default is 5 s: on a loaded 2-core machine a page's first callbacks can take
# longer, so every assertion waits up to 15 s (it returns as soon as the page matches).
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright: use Debian's Chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture(scope="session")
def live_server(model_db):
    """The dashboard over the hand-counted model fixture, on a free loopback port."""
    from werkzeug.serving import make_server

    from dashboard.app import create_app

    server = make_server("127.0.0.1", 0, create_app(model_db).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def paged_server(paged_db):
    """`kratom-dash` over tests/paged_quarter.py's 60 kratom cases (two pages of the Cases
    table), in a process of its own: the app's database is one per process (dashboard.runtime),
    and live_server's is the model fixture."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve = "from dashboard.app import main; main()"  # this checkout's dashboard, as kratom-dash
    cmd = [sys.executable, "-c", serve, "--db", str(paged_db), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_dash-dependencies", timeout=5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the paged dashboard did not start") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(10)
