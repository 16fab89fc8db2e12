"""Entry point of the PyInstaller bundle: the same ``annotator`` command the wheel installs."""

import multiprocessing

from annotator.cli import main

if __name__ == "__main__":
    # A process the export's worker pool spawns is this program again, with multiprocessing's
    # arguments: freeze_support() runs the worker and exits instead of starting the command.
    multiprocessing.freeze_support()
    main(prog_name="annotator")
