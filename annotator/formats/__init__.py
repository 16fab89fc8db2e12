"""File formats: readers (and later writers) that turn files into core records.

Formats never touch the store; the import workflow (annotator.workflows) does that.
"""

from .registry import READERS, ReadOptions, guess_format, reader_for

__all__ = ["READERS", "ReadOptions", "guess_format", "reader_for"]
