"""The only layer that speaks SQL. It hands out ``annotator.core`` objects."""

from .errors import EditRefused, LabelInUse, NotAProject, ProjectCorrupt, ProjectError, ProjectTooNew
from .project import Project

__all__ = ["Project", "ProjectError", "NotAProject", "ProjectCorrupt", "ProjectTooNew", "LabelInUse", "EditRefused"]
