"""Dialogs: import, export, labels, preferences, new project, shortcuts, the lock question."""
