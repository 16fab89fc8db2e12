"""Work off the GUI thread, with progress and Cancel."""
