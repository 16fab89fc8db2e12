"""Workflows join file formats and the store (import now; export later).

They sit above ``formats`` and ``store`` and below ``cli`` and ``ui`` so that the CLI and
the window run exactly the same code, with a progress callback and a cancel check.
"""
