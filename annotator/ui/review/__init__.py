"""Review mode: the annotators' layers of a document, unit by unit, decided into gold from the keyboard."""
