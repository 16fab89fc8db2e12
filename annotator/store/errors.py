"""Errors the store raises when a file cannot be used as a project."""


class ProjectError(Exception):
    """A project file cannot be opened or changed; the message is meant for the user."""


class NotAProject(ProjectError):
    pass


class ProjectTooNew(ProjectError):
    pass


class ProjectCorrupt(ProjectError):
    pass


class LabelInUse(ProjectError):
    def __init__(self, name: str, count: int):
        self.name, self.count = name, count
        super().__init__(f"label {name!r} is used by {count} annotation(s); removing it would remove them too")


class EditRefused(ProjectError):
    """An edit that would break a rule of the project (overlap, duplicate, wrong label kind).

    Nothing was written; the message is short enough for a status bar.
    """
