"""Teams in the window: other annotators' layers beside the article (View > Layers), and
File > Team > Split… and Merge Annotations From… (docs/teams.md)."""
