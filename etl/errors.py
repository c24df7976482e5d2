"""One exception type for bad input: it always names the file, and the line and field when known."""

from __future__ import annotations

import errno
import os
import re

# errno values and DuckDB's words for them (DuckDB reports a full disk in its own exceptions).
_DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
_DISK_FULL_WORDS = tuple(os.strerror(n) for n in _DISK_FULL_ERRNOS)
_WRITING = re.compile(r'write file "([^"]+)"')


class InputError(Exception):
    """Bad input. `str()` is one line: `FILE[:LINE][ field FIELD]: what is wrong`."""

    def __init__(
        self, file: str, message: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.file = str(file)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Control characters are escaped and a long field name or message is cut (binary input)."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" field {_shortened(self.field, FIELD_CHARS)}"
        return _printable(f"{where}: {_shortened(self.message, MESSAGE_CHARS)}")


FIELD_CHARS, MESSAGE_CHARS = 40, 400


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _printable(text: str) -> str:
    """`text` with every non-printable character written as its Python escape (\\x00, \\t)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class CheckFailed(Exception):
    """A data check found offending rows; the new database is not swapped in."""


def disk_full_reason(exc: BaseException | None) -> str | None:
    """'No space left on device writing PATH' when `exc` or an error it came from is a full disk
    (or a file-size limit or quota), else None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
            target = exc.filename2 or exc.filename  # a copy names its source, then its target
            where = f" writing {target}" if target else ""
            return os.strerror(exc.errno) + where
        text = str(exc)
        for words in _DISK_FULL_WORDS:
            if words in text:
                found = _WRITING.search(text)
                return words + (f" writing {found.group(1)}" if found else "")
        exc = exc.__cause__ or exc.__context__
    return None
