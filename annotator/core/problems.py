"""Problems found in input files, each naming file, line and field."""

from __future__ import annotations

from dataclasses import dataclass

from .textutil import clip_quoted


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based physical line; None when the problem is about the whole file
    field: str | None  # the record field or span, e.g. "spans[2].end"
    message: str
    severity: str = "error"  # "error" refuses the record; "notice" only informs

    def __post_init__(self) -> None:
        # The backstop of ``textutil.quoted``: a value quoted whole with ``!r`` somewhere is
        # still cut to a readable length here, so no message carries a whole article.
        object.__setattr__(self, "message", clip_quoted(self.message))
        if self.field:
            object.__setattr__(self, "field", clip_quoted(self.field))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class InputError(Exception):
    """Raised when a file is refused; carries every problem found (errors first)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems) or "invalid input")
