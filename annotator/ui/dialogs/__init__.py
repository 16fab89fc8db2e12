"""Dialogs of the main window (more move here as ui/ is split into sub-packages)."""
