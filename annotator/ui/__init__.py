"""Everything Qt, in sub-packages whose imports go one way (pyproject's import-linter contract):

    window     the main window: builds the panes, menus and status bar and wires them together
    claims     the claim editor, the claims list, claim links in the article, claimant aliases
    suggest    the model in the loop: suggestion keys, Suggest in Project, training
    dialogs    import, export, labels, preferences, new project, shortcuts, the lock question
    text       the article view: offsets, span index, painting, token cursor
    views      the side panes: document list, span table, label bar, status bar
    session    the document session: project, undo stack, shown document; every edit a command
    jobs       work off the GUI thread (import, export, tokenizer, integrity check, indexer)
    common     offsets, plain-text helpers, settings, themes, the shortcut table
"""
