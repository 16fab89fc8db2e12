"""The side panes: document list, span table, label bar."""
