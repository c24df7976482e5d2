"""The server side of bench/load_test.py: gunicorn on loopback, its workers' memory, the swap.

`Gunicorn` starts `gunicorn dashboard.wsgi:server` with the deployment config
(`deploy/gunicorn.conf.py`), overriding only the bind address, workers and threads.
`Watcher` samples every worker's resident memory (VmRSS) and CPU time once a second, and notes
the moment the database file's inode changes (the ETL's `os.replace`), polling every 50 ms.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from dash_client import REPO, free_port, wait_ready

CONFIG = REPO / "deploy" / "gunicorn.conf.py"


class Gunicorn:
    def __init__(self, db: Path, workers: int, threads: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        cmd = [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "--config",
            str(CONFIG),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "dashboard.wsgi:server",
        ]
        env = {**os.environ, "KRATOM_DB": str(db)}
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=out)

    def wait_ready(self, workers: int) -> None:
        wait_ready(self.url, lambda: self.proc.poll() is None)
        deadline = time.monotonic() + 60
        while len(worker_pids(self.proc.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def log_problems(self) -> list[str]:
        """Lines of the server log that mean a failed request or worker (tracebacks, timeouts)."""
        words = ("Traceback", "WORKER TIMEOUT", "Worker exiting", "was sent SIGKILL", "Error")
        text = self.log.read_text(errors="replace").splitlines()
        return [line for line in text if any(w in line for w in words)]


def worker_pids(master: int) -> list[int]:
    """The master's child processes (psutil when installed, else /proc)."""
    try:
        import psutil

        return sorted(p.pid for p in psutil.Process(master).children())
    except ImportError:
        pass
    except Exception:  # the master is gone
        return []
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Watcher:
    """Samples worker RSS every second and notes when the database file is swapped."""

    master: int
    db: Path
    clock: object  # Recorder: .now() seconds since the run started
    rss: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    cpu: dict[int, list[float]] = field(default_factory=dict)  # pid -> CPU seconds (first, last)
    swapped_at: float | None = None
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        self._inode = os.stat(self.db).st_ino
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        next_sample = 0.0
        while not self.stop.is_set():
            now = self.clock.now()
            if self.swapped_at is None:
                try:
                    if os.stat(self.db).st_ino != self._inode:
                        self.swapped_at = now
                except FileNotFoundError:
                    pass
            if now >= next_sample:
                next_sample = now + 1.0
                for pid in worker_pids(self.master):
                    mb, cpu = rss_mb(pid), cpu_seconds(pid)
                    if mb is not None:
                        self.rss.setdefault(pid, []).append((now, mb))
                    if cpu is not None:
                        self.cpu[pid] = [*self.cpu.get(pid, [cpu])[:1], cpu]
            time.sleep(0.05)
