"""The document session: project, undo stack and shown document; every edit is a command."""
