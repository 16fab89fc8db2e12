"""Entry point of the PyInstaller bundle: the same ``annotator`` command the wheel installs."""

from annotator.cli import main

if __name__ == "__main__":
    main(prog_name="annotator")
