"""Pure-Python domain layer: dataclasses, offsets, edit operations. Standard library only."""
