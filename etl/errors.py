"""One exception type for bad input: it always names the file, and the line and field when known."""

from __future__ import annotations


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
