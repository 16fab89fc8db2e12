"""Everything Qt: the main window, Qt models, widgets and settings.

Only this package and ``annotator.app`` import PySide6; nothing imports ``annotator.ui``.
"""
