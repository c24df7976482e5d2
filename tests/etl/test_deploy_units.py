"""The systemd units in deploy/ and the crontab line of docs/scheduling.md are well formed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from etl.refresh_cli import EXIT_DOWNLOAD, EXIT_LOCKED

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SERVICE = DEPLOY / "kratom-refresh.service"
TIMER = DEPLOY / "kratom-refresh.timer"
DOC = REPO / "docs" / "scheduling.md"


def parse_unit(text: str) -> dict[str, list[tuple[str, str]]]:
    """Unit syntax: [Section], Key=Value (keys repeat), # or ; comments; no continuations here."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        assert not line.endswith("\\"), f"line {number}: no continuation lines, please"
        if match := re.fullmatch(r"\[([A-Za-z]+)\]", line):
            current = match[1]
            assert current not in sections, f"line {number}: section [{current}] twice"
            sections[current] = []
            continue
        assert current is not None, f"line {number}: a key before any section"
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z][A-Za-z]+", key.strip()), f"line {number}: {raw!r}"
        sections[current].append((key.strip(), value.strip()))
    return sections


def values(unit: dict, section: str, key: str) -> list[str]:
    return [v for k, v in unit[section] if k == key]


def test_service_is_a_oneshot_running_refresh_with_the_settings() -> None:
    unit = parse_unit(SERVICE.read_text())
    assert sorted(unit) == ["Service", "Unit"]
    assert values(unit, "Unit", "Description") != [""]
    assert values(unit, "Service", "Type") == ["oneshot"]
    (exec_start,) = values(unit, "Service", "ExecStart")
    program, *args = exec_start.split()
    assert program.startswith("/") and program.endswith("/bin/kratom-etl")
    assert args == ["refresh"]
    env = dict(v.split("=", 1) for v in values(unit, "Service", "Environment"))
    assert sorted(env) == ["KRATOM_DATA_DIR", "KRATOM_DB"]
    assert all(path.startswith("/") for path in env.values())


def test_timer_is_weekly_persistent_and_spread_out() -> None:
    unit = parse_unit(TIMER.read_text())
    assert sorted(unit) == ["Install", "Timer", "Unit"]
    (calendar,) = values(unit, "Timer", "OnCalendar")
    assert re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \*-\*-\* \d\d:\d\d:\d\d", calendar)
    assert values(unit, "Timer", "Persistent") == ["true"]
    assert re.fullmatch(r"\d+(s|min|h)?", values(unit, "Timer", "RandomizedDelaySec")[0])
    assert values(unit, "Timer", "Unit") == [SERVICE.name]
    assert values(unit, "Install", "WantedBy") == ["timers.target"]


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    # verify insists that ExecStart's program exists: stand /bin/true in for the venv's script
    service = re.sub(r"(?m)^ExecStart=\S+", "ExecStart=/bin/true", SERVICE.read_text())
    (tmp_path / SERVICE.name).write_text(service)
    shutil.copy(TIMER, tmp_path / TIMER.name)
    done = subprocess.run(
        [analyze, "verify", str(tmp_path / SERVICE.name), str(tmp_path / TIMER.name)],
        capture_output=True,
        text=True,
    )
    complaints = [
        line for line in (done.stdout + done.stderr).splitlines() if "kratom-refresh" in line
    ]
    assert (done.returncode, complaints) == (0, [])


def crontab_lines() -> list[str]:
    blocks = re.findall(r"```crontab\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1
    return [ln for ln in blocks[0].splitlines() if ln.strip() and not ln.startswith("#")]


CRON_FIELD = re.compile(r"(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*")


def test_crontab_line_has_five_time_fields_and_the_refresh_command() -> None:
    (line,) = crontab_lines()
    fields = line.split(maxsplit=5)
    assert len(fields) == 6
    assert all(CRON_FIELD.fullmatch(f) for f in fields[:5]), fields[:5]
    minute, hour, day, month, weekday = fields[:5]
    assert (day, month) == ("*", "*")  # weekly: one weekday, every month
    assert (int(minute) < 60, int(hour) < 24, int(weekday) <= 7) == (True, True, True)
    command = fields[5]
    assert re.search(r"(^|\s)/\S+/bin/kratom-etl refresh(\s|$)", command)
    assert "KRATOM_DB=/" in command and "KRATOM_DATA_DIR=/" in command
    assert "flock" not in command  # our own lock serialises runs


def test_the_doc_lists_every_exit_code() -> None:
    text = DOC.read_text()
    for code in (0, 1, 2, 3, 4, EXIT_LOCKED, EXIT_DOWNLOAD):
        assert re.search(rf"^\| {code} \|", text, flags=re.MULTILINE), code


def mail_line() -> str:
    """The crontab line of docs/scheduling.md that mails `kratom-etl latest` after an update."""
    blocks = re.findall(r"```crontab mail\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1
    (line,) = [ln for ln in blocks[0].splitlines() if ln.strip()]
    return line


STUB_ETL = """#!/bin/sh
echo "$0 $*" >>"$CALLS"
case "$1" in
  refresh) echo "$REFRESH_SAYS"; exit "$REFRESH_CODE" ;;
  latest) echo "Kratom harms watch: latest quarter 2026Q2"; exit 0 ;;
esac
exit 9
"""
STUB_MAIL = """#!/bin/sh
body=$(cat)
echo "mail $*" >>"$CALLS"
echo "$body" >>"$CALLS"
"""  # reads the digest first: `latest` has then written its call line (no race in the pipe)


@pytest.mark.parametrize(
    ("says", "code", "mailed"),
    [
        ("updated /db: 2 quarter(s) (2026Q1–2026Q2), 1 new (2026Q2); ...", 0, True),
        ("nothing new: /db is already built from these 2 quarter file(s) ...", 0, False),
        ("", 6, False),  # a download failed: nothing printed on stdout
    ],
)
def test_mail_line_mails_the_digest_only_after_an_update(
    tmp_path: Path, says: str, code: int, mailed: bool
) -> None:
    line = mail_line()
    fields = line.split(maxsplit=5)
    assert all(CRON_FIELD.fullmatch(f) for f in fields[:5]) and "%" not in line
    command = fields[5]
    etl, mail, calls = tmp_path / "kratom-etl", tmp_path / "mail", tmp_path / "calls"
    for path, text in ((etl, STUB_ETL), (mail, STUB_MAIL)):
        path.write_text(text)
        path.chmod(0o755)
    command = command.replace("/opt/kratom-watch/.venv/bin/kratom-etl", str(etl))
    command = command.replace("cd /opt/kratom-watch", f"cd {tmp_path}")
    command = command.replace("/var/lib/kratom-watch", str(tmp_path))
    assert command.count(" | mail ") == 1
    command = command.replace(" | mail ", f" | {mail} ")
    env = {"PATH": "/usr/bin:/bin", "CALLS": str(calls)}
    env |= {"REFRESH_SAYS": says, "REFRESH_CODE": str(code)}
    done = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True)
    assert done.returncode == code, done.stderr
    lines = calls.read_text().splitlines()
    assert lines[0] == f"{etl} refresh"
    if mailed:
        assert lines[1].startswith(f"{etl} latest --base-url https://")
        assert lines[2].startswith("mail -s kratom-watch: the latest quarter ")
        assert lines[3] == "Kratom harms watch: latest quarter 2026Q2"
    else:
        assert lines == [f"{etl} refresh"]
    log = (tmp_path / "refresh.log").read_text()  # refresh's line, kept whatever it said
    assert log == (says + "\n" if code == 0 else "")
