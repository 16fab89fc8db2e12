"""The only layer that speaks SQL. It hands out ``annotator.core`` objects."""

from .errors import (
    DiskFull, EditRefused, LabelInUse, LockLost, NotAProject, ProjectBusy, ProjectCorrupt, ProjectError,
    ProjectInUse, ProjectReadOnly, ProjectTooNew,
)
from .project import Project

__all__ = ["Project", "ProjectError", "NotAProject", "ProjectCorrupt", "ProjectTooNew", "ProjectReadOnly",
           "DiskFull", "ProjectBusy", "ProjectInUse", "LockLost", "LabelInUse", "EditRefused"]
