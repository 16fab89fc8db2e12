"""Dialogs: import, import from the web, export, labels, preferences, new project, shortcuts, the lock question."""
