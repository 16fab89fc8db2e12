"""Claims in the window: the claim editor, the claims list, links in the article, aliases."""
