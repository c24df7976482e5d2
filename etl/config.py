"""Settings from the environment. Every variable here is listed in the README's table."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

FAERS_INDEX_URL = "https://fis.fda.gov/extensions/FPD-QDE-FAERS/FPD-QDE-FAERS.html"
FAERS_BASE_URL = "https://fis.fda.gov/content/Exports/"
OPENFDA_URL = "https://api.fda.gov"
BUILD_MEMORY = "2500MB"  # DuckDB's memory limit while building (KRATOM_BUILD_MEMORY)
_SIZE = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)")


@dataclass(frozen=True)
class Settings:
    db_path: Path
    data_dir: Path
    faers_index_url: str
    faers_base_url: str
    openfda_url: str
    openfda_api_key: str | None

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from `env` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("KRATOM_DATA_DIR") or REPO_ROOT / "data")
    return Settings(
        db_path=Path(env.get("KRATOM_DB") or data_dir / "kratom.duckdb"),
        data_dir=data_dir,
        faers_index_url=env.get("KRATOM_FAERS_INDEX_URL") or FAERS_INDEX_URL,
        faers_base_url=env.get("KRATOM_FAERS_BASE_URL") or FAERS_BASE_URL,
        openfda_url=(env.get("KRATOM_OPENFDA_URL") or OPENFDA_URL).rstrip("/"),
        openfda_api_key=env.get("OPENFDA_API_KEY") or None,
    )


def build_memory_limit(env: dict[str, str] | None = None) -> str:
    """KRATOM_BUILD_MEMORY (default BUILD_MEMORY): DuckDB's memory_limit for a build's connection.

    Past it DuckDB spills to `<db>.building.tmp/`. A size such as 3GB, 2500MB or 2.5GiB.
    """
    env = dict(os.environ if env is None else env)
    value = (env.get("KRATOM_BUILD_MEMORY") or BUILD_MEMORY).strip()
    if not _SIZE.fullmatch(value.upper()):
        raise ValueError(
            f"KRATOM_BUILD_MEMORY={value!r} is not a size such as 3GB, 2500MB or 2.5GiB"
        )
    return value
