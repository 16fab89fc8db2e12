"""Errors the store raises when a file cannot be used as a project.

Each says what is wrong in words a user can act on. Only ``ProjectCorrupt`` says "damaged":
a full disk, a read-only medium or a busy file are not damage, and a user sent to their
backups for one of those may throw away a sound project.
"""

from ..core.textutil import quoted


class ProjectError(Exception):
    """A project file cannot be opened or changed; the message is meant for the user."""


class NotAProject(ProjectError):
    pass


class ProjectTooNew(ProjectError):
    pass


class ProjectCorrupt(ProjectError):
    pass


class ProjectReadOnly(ProjectError):
    """The file, its folder or its file system cannot be written; reading still works."""


class DiskFull(ProjectError):
    """No space left for the project's writes; what was committed before is intact."""


class ProjectBusy(ProjectError):
    """Another program held SQLite's write lock for longer than we waited."""


class ProjectInUse(ProjectError):
    """Someone holds the project's editing lock (a window, or another command)."""

    def __init__(self, message: str, holder: object):
        self.holder = holder
        super().__init__(message)


class LockLost(ProjectError):
    """Another session took the editing lock over; this one may no longer write."""


class LabelInUse(ProjectError):
    def __init__(self, name: str, count: int):
        self.name, self.count = name, count
        super().__init__(f"label {quoted(name)} is used by {count} annotation(s); removing it would remove them too")


class EditRefused(ProjectError):
    """An edit that would break a rule of the project (overlap, duplicate, wrong label kind).

    Nothing was written; the message is short enough for a status bar.
    """
