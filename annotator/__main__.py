"""``python -m annotator`` is the ``annotator`` command."""

from .cli import main

if __name__ == "__main__":
    main()
