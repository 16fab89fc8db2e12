"""Analysis of a project's annotations: Analysis > Agreement… (docs/agreement.md)."""
