"""What every part of ui/ reads: offsets, plain-text helpers, settings, themes, shortcuts."""
