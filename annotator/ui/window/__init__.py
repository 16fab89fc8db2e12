"""The main window: builds panes, menus and the status bar and wires them to the session."""
