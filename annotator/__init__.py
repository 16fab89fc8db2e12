"""annotator: label entities and attributed claims in news articles, export spaCy training data."""

__version__ = "0.1.0"
