"""spaCy lives here and only here, imported lazily so start-up stays fast."""
