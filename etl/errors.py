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
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" field {self.field}"
        return f"{where}: {self.message}".replace("\n", " ")


class CheckFailed(Exception):
    """A data check found offending rows; the new database is not swapped in."""
