"""Every keyboard shortcut of the main window, declared once.

The main window makes its QActions from this table, the Keyboard Shortcuts dialog lists it,
and docs/shortcuts.md is checked against it by a test. Keys are portable QKeySequence strings
(``QKeySequence(key, QKeySequence.PortableText)``); the first one is the one menus show.

``menu`` is where the action lives: a menu title ("File", "Edit", "Go", "View", "Help"), or
"Text" for keys the article view handles itself (token cursor; no menu entry). Label keys
come from the project's scheme, so the table describes them once (``LABEL_KEYS``) rather
than binding them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    id: str
    keys: tuple[str, ...]  # empty: a menu entry without a key
    menu: str
    description: str
    title: str = ""  # the menu text (with & for the mnemonic); empty for "Text" entries


MENUS = ("File", "Edit", "Go", "View", "Model", "Analysis", "Help", "Text")

SHORTCUTS: tuple[Shortcut, ...] = (
    # File
    Shortcut("file.new", ("Ctrl+N",), "File", "Create a new project file", "&New Project…"),
    Shortcut("file.open", ("Ctrl+O",), "File", "Open a project file", "&Open Project…"),
    Shortcut("file.import", ("Ctrl+I",), "File", "Import articles (text, CSV/TSV, JSONL) into this project",
             "&Import Files…"),
    Shortcut("file.import_web", (), "File",
             "Download web pages (a list of addresses or a feed) and import their articles, with a report per address",
             "Import from the &Web…"),
    Shortcut("file.export", ("Ctrl+E",), "File",
             "Export spaCy training data (DocBin + config.cfg) or another tool's format, with the alignment report",
             "&Export…"),
    # File > Team (ui/window/team_menus.py gathers these two into the submenu)
    Shortcut("file.team_split", (), "File",
             "Split the documents among annotators: one project file each, with a share every annotator gets "
             "(for agreement); who has which document is recorded here", "&Split…"),
    Shortcut("file.team_merge", (), "File",
             "Merge annotators' project files into this one: each annotator's layer comes in whole, by content; "
             "merging again adds nothing", "&Merge Annotations From…"),
    Shortcut("file.save", ("Ctrl+S",), "File", "Nothing to do: every edit is saved as you make it", "&Save"),
    Shortcut("file.quit", ("Ctrl+Q",), "File", "Close the window and quit", "&Quit"),
    # Edit
    Shortcut("edit.undo", ("Ctrl+Z",), "Edit", "Undo the last edit (in any document)", "&Undo"),
    Shortcut("edit.redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", "Redo the edit last undone", "&Redo"),
    Shortcut("edit.delete_span", ("Del", "Backspace"), "Edit",
             "Delete the span under the cursor or selected in the span table (a suggestion is rejected)", "&Delete Span"),
    Shortcut("edit.clear", ("Esc",), "Edit", "Clear the selection and disarm a sticky label", "Clear &Selection"),
    Shortcut("edit.labels", (), "Edit", "Add, rename, recolour labels and change their keys", "&Labels…"),
    Shortcut("edit.claimants", ("Ctrl+Shift+K",), "Edit",
             "Every claimant in the project with its counts; merge names of one source into a canonical name",
             "&Claimants…"),
    Shortcut("edit.preferences", ("Ctrl+,",), "Edit", "Annotator name, theme and other preferences",
             "&Preferences…"),
    # Go: moving through the documents
    Shortcut("go.done_next", ("Ctrl+Return",), "Go", "Mark the document done and go to the next one",
             "Mark &Done and Next"),
    Shortcut("go.skip", ("Ctrl+Shift+Return",), "Go", "Mark the document skipped and go to the next one",
             "&Skip and Next"),
    Shortcut("go.previous", ("Alt+Left", "PgUp"), "Go", "Previous document in the list", "&Previous Document"),
    Shortcut("go.next", ("Alt+Right", "PgDown"), "Go", "Next document in the list", "&Next Document"),
    Shortcut("go.next_todo", ("Ctrl+J",), "Go", "Jump to the next document still to do", "Next &To Do"),
    Shortcut("go.search", ("Ctrl+F",), "Go", "Search the documents (titles and texts)", "&Find Documents…"),
    Shortcut("go.next_uncertain", ("Ctrl+Shift+J",), "Go",
             "Jump to the document still to do that the model is least sure about (ranked by Model > Suggest in "
             "Project)", "Next &Uncertain Document"),
    # View
    Shortcut("view.zoom_in", ("Ctrl+=", "Ctrl++"), "View", "Larger article text", "Zoom &In"),
    Shortcut("view.zoom_out", ("Ctrl+-",), "View", "Smaller article text", "Zoom &Out"),
    Shortcut("view.zoom_reset", ("Ctrl+0",), "View", "Article text at its normal size", "&Reset Zoom"),
    Shortcut("view.review", ("Ctrl+R",), "View",
             "Review mode: the annotators' layers unit by unit, decided into the gold layer with the keys below "
             "(docs/review.md); again to leave it", "&Review"),
    # View > Layers (ui/team/layers_menu.py): other annotators' layers beside yours, read-only
    Shortcut("view.layers_all", ("Ctrl+Shift+L",), "View",
             "Show every other annotator's layer beside yours, each in a column of its own, read-only "
             "(View > Layers chooses one by one)", "Show &All Layers"),
    Shortcut("view.layers_none", (), "View", "Show only your own layer", "&Hide Other Layers"),
    # Model: suggestions and training (ui/suggestions.py)
    Shortcut("model.suggest_document", ("Ctrl+Shift+M",), "Model",
             "Suggest spans (and claims) in this document with the chosen source; Undo takes them back",
             "Suggest in This &Document"),
    Shortcut("model.accept_all", ("Ctrl+Shift+A",), "Model",
             "Accept every suggestion in this document (claims with their cue and claimant); one Undo step",
             "&Accept All Suggestions"),
    Shortcut("model.reject_all", (), "Model", "Reject every suggestion in this document; one Undo step",
             "&Reject All Suggestions"),
    Shortcut("model.suggest_project", (), "Model",
             "Suggest in every document (or those still to do) in the background, with progress and Cancel",
             "Suggest in &Project…"),
    Shortcut("model.source", (), "Model",
             "Where suggestions come from: a model trained here, an installed spaCy pipeline, a folder, pattern "
             "files, claim cues", "Suggestion &Source…"),
    Shortcut("model.train", (), "Model", "Train a model on the documents marked done (spaCy, in the background)",
             "&Train…"),
    Shortcut("model.models", (), "Model", "The models trained here, with precision, recall and F per label",
             "&Models…"),
    # Analysis
    Shortcut("analysis.dashboard", ("Ctrl+Shift+D",), "Analysis",
             "Charts of the project: progress and projected finish, spans per label, claims by attribute value, "
             "top claimants, agreement, models; filters, Save PNG/SVG, Copy Data", "&Dashboard"),
    Shortcut("analysis.agreement", (), "Analysis",
             "Agreement between annotators' layers: F1 per pair (a matrix), per label, claims and attributes, "
             "and the list of disagreements (docs/agreement.md)", "&Agreement…"),
    # Help
    Shortcut("help.shortcuts", ("F1",), "Help", "List every keyboard shortcut", "&Keyboard Shortcuts"),
    # Text: the token cursor in the article (handled by the article view, not menus)
    Shortcut("text.token_left", ("Left",), "Text",
             "Move the token cursor to the token on the left (the next one in a right-to-left article)"),
    Shortcut("text.token_right", ("Right",), "Text",
             "Move the token cursor to the token on the right (the previous one in a right-to-left article)"),
    Shortcut("text.line_up", ("Up",), "Text", "Move the token cursor up a line"),
    Shortcut("text.line_down", ("Down",), "Text", "Move the token cursor down a line"),
    Shortcut("text.line_start", ("Home",), "Text", "Move the token cursor to the start of the line"),
    Shortcut("text.line_end", ("End",), "Text", "Move the token cursor to the end of the line"),
    Shortcut("text.doc_start", ("Ctrl+Home",), "Text", "Move the token cursor to the first token"),
    Shortcut("text.doc_end", ("Ctrl+End",), "Text", "Move the token cursor to the last token"),
    Shortcut("text.extend_left", ("Shift+Left",), "Text",
             "Select the token under the cursor, then extend the selection one token to the left"),
    Shortcut("text.extend_right", ("Shift+Right",), "Text",
             "Select the token under the cursor, then extend the selection one token to the right"),
    Shortcut("text.extend_up", ("Shift+Up",), "Text", "Extend the selection up a line"),
    Shortcut("text.extend_down", ("Shift+Down",), "Text", "Extend the selection down a line"),
    Shortcut("text.next_name", ("Ctrl+Right",), "Text",
             "Select the next name not tagged yet (capitalised words: \"Viktor Bout\"), so a label key tags it "
             "(the previous one in a right-to-left article)"),
    Shortcut("text.previous_name", ("Ctrl+Left",), "Text",
             "Select the previous name not tagged yet (the next one in a right-to-left article)"),
    Shortcut("text.next_span", ("Tab",), "Text",
             "Move the cursor to the next span (to the next suggestion while the document has any)"),
    Shortcut("text.previous_span", ("Shift+Tab",), "Text",
             "Move the cursor to the previous span (to the previous suggestion while the document has any)"),
    Shortcut("text.grow_span", ("Ctrl+Shift+Right",), "Text",
             "Move the end of the span under the cursor one token to the right"),
    Shortcut("text.shrink_span", ("Ctrl+Shift+Left",), "Text",
             "Move the end of the span under the cursor one token to the left"),
)

# Label keys are set per project (Edit > Labels); how they act, for the dialog and the docs.
LABEL_KEYS = Shortcut(
    "label.apply", ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "Shift+1", "Shift+0", "C"), "Text",
    "Label key (1-9, 0, Shift+1-Shift+0 for labels 11-20, or a letter such as C for CLAIM): "
    "with a selection, tag it; on a span with no selection, relabel it; on a word the cursor was moved "
    "to, tag that word; otherwise (a document just opened) arm the label "
    "(sticky mode: every following drag becomes a span of that label; Esc or the same key disarms)",
)
# Keys of the claim editor: read from the article while a claim is selected (ui/claim_flow.py),
# so they are no actions; attribute keys come from the scheme, as label keys do.
CLAIM_KEYS: tuple[Shortcut, ...] = (
    Shortcut("claim.make", ("C",), "Claim",
             "The claim label's key: with a selection, make it a claim and open it in the claim editor; "
             "on a claim (no selection), open it"),
    Shortcut("claim.claimant", ("K",), "Claim",
             "Claimant from the text: the selected span (or the span around the selection, or a new SOURCE span) "
             "becomes the claimant; with no selection, select it next and press Enter, or click a span"),
    Shortcut("claim.claimant_list", ("Shift+K",), "Claim",
             "Choose the claimant from the document's names, nearest to the claim first: type to filter, "
             "Up/Down, Enter; text that names no span becomes a free-text claimant (Shift+Enter: always)"),
    Shortcut("claim.accept_proposal", ("A",), "Claim",
             "Take the proposed claimant, cue and values shown in the claim editor (one undo step); proposed "
             "from the claim's sentence when it has no claimant or cue yet"),
    Shortcut("claim.cue", ("U",), "Claim",
             "Cue from the text (said, according to): the selected span, or a new CUE span; with no selection, "
             "select it next and press Enter"),
    Shortcut("claim.cue_list", ("Shift+U",), "Claim", "Choose the cue from the document's cue spans, nearest first"),
    Shortcut("claim.attribute", ("Q", "S", "W", "V", "N"), "Claim",
             "Attribute keys (set by the scheme; these are the default's): a choice attribute then a digit picks "
             "a choice (S then 2: denies), 0 clears; a text attribute takes typing, Enter keeps it, Esc cancels"),
    Shortcut("claim.pick_enter", ("Return",), "Claim",
             "While picking a claimant or cue: take the selection, or the span under the cursor"),
    Shortcut("claim.unlink", ("Del",), "Claim", "While picking a claimant or cue (after K or U): remove it"),
    Shortcut("claim.leave", ("Esc",), "Claim",
             "Cancel a pending K, U or attribute key; otherwise leave claim editing (after clearing a selection "
             "or a sticky label)"),
)
# Keys on a suggestion (the token cursor on a dashed span), read by ui/suggestions.py's event
# filter on the article: elsewhere Enter and X keep their other meanings (X may be a label key).
SUGGESTION_KEYS: tuple[Shortcut, ...] = (
    Shortcut("suggestion.accept", ("Return",), "Suggestion",
             "Accept the suggestion under the cursor (a claim with its cue and claimant) and go to the next one"),
    Shortcut("suggestion.reject", ("X", "Del"), "Suggestion",
             "Reject the suggestion under the cursor; it is not proposed again"),
    Shortcut("suggestion.relabel", ("1",), "Suggestion", "A label key: accept it as that label"),
    Shortcut("suggestion.next", ("Tab", "Shift+Tab"), "Suggestion", "Next / previous suggestion in the document"),
)
# Keys of review mode (View > Review), read from the article while it is on (ui/review/review_keys.py).
REVIEW_KEYS: tuple[Shortcut, ...] = (
    Shortcut("review.next", ("Space", "Shift+Space"), "Review", "Next / previous undecided unit"),
    Shortcut("review.annotator", tuple("123456789"), "Review",
             "Take annotator 1…9's version of the unit (digits follow the order shown in the Review tab; with a "
             "selection in the article a digit is a label key and tags it in gold); then the next undecided unit"),
    Shortcut("review.majority", ("Return",), "Review", "Take the majority version (for a claim with none: the "
                                                       "content most gave, each field's majority value)"),
    Shortcut("review.reject", ("X",), "Review", "Reject the unit: not gold (kept in gold as a rejection)"),
    Shortcut("review.agreed", ("Shift+A",), "Review", "Take every unit all annotators agree on in this document "
                                                      "(one undo step)"),
    Shortcut("review.field", ("K", "U", "S"), "Review",
             "On a decided claim: K (claimant), U (cue) or an attribute's key (S: stance), then a digit: that "
             "field as that annotator gave it; Esc cancels"),
    Shortcut("review.reviewed", ("Ctrl+Return",), "Review",
             "Mark the document reviewed (once nothing is undecided) and go to the next with something undecided"),
)
MOUSE = (
    ("Drag", "Select text; the selection snaps to whole tokens"),
    ("Double-click", "Select one token"),
    ("Click a span", "Put the cursor on it (then a label key relabels it, Delete removes it)"),
    ("Click a claim", "Open it in the claim editor (its claimant and cue are linked to it in the article)"),
    ("Click a span while picking", "After K or U: make it the claimant or cue"),
    ("Hover a span", "Show its label, annotator and origin"),
)

# Entries that sit in a submenu of their menu (File > Team > Split…), gathered there by the window.
SUBMENUS = {"file.team_split": "&Team", "file.team_merge": "&Team", "view.layers_all": "&Layers",
            "view.layers_none": "&Layers"}

_BY_ID = {shortcut.id: shortcut for shortcut in SHORTCUTS}


def shortcut(action_id: str) -> Shortcut:
    return _BY_ID[action_id]


def in_menu(menu: str) -> tuple[Shortcut, ...]:
    return tuple(s for s in SHORTCUTS if s.menu == menu)


# ------------------------------------------------------------------ docs/shortcuts.md
def markdown() -> str:
    """docs/shortcuts.md, generated from this table (a test keeps the file in step):

        python -m annotator.ui.common.shortcuts > docs/shortcuts.md
    """
    titles = {"File": "File", "Edit": "Edit", "Go": "Moving through documents (Go menu)", "View": "View",
              "Model": "Model in the loop (Model menu; see docs/models.md)",
              "Analysis": "Analysis (see docs/dashboard.md and docs/agreement.md)", "Help": "Help",
              "Text": "In the article (token cursor and selection)"}
    out = [
        "# Keyboard shortcuts",
        "",
        "Generated from `annotator/ui/common/shortcuts.py` (`python -m annotator.ui.common.shortcuts > docs/shortcuts.md`);",
        "the same table makes the menus and Help > Keyboard Shortcuts. On macOS, Ctrl is the Command key.",
        "",
    ]
    order = ("Text", "Go", "Edit", "Model", "Analysis", "File", "View", "Help")
    for menu in order:
        out += [f"## {titles[menu]}", "", "| Keys | What it does |", "| --- | --- |"]
        if menu == "Text":
            out.append(f"| `1` … `9`, `0`, `Shift+1` … `Shift+0`, a letter (`C`) | {LABEL_KEYS.description} |")
        for entry in in_menu(menu):
            title = entry.title.replace("&", "")
            if entry.id in SUBMENUS:
                title = f"{SUBMENUS[entry.id].replace('&', '')} › {title}"
            what = entry.description if menu == "Text" else f"**{title}** — {entry.description}"
            out.append(f"| {_keys(entry.keys) or '(no key)'} | {what} |")
        out.append("")
        if menu == "Text":
            out += ["## Editing a claim (while a claim is selected; see docs/claims.md)", "",
                    "| Keys | What it does |", "| --- | --- |"]
            out += [f"| {_keys(entry.keys)} | {entry.description} |" for entry in CLAIM_KEYS]
            out.append("")
            out += ["## Reviewing suggestions (the cursor on a dashed span; see docs/models.md)", "",
                    "| Keys | What it does |", "| --- | --- |"]
            out += [f"| {_keys(entry.keys)} | {entry.description} |" for entry in SUGGESTION_KEYS]
            out.append("")
            out += ["## Review mode (View > Review; see docs/review.md)", "",
                    "| Keys | What it does |", "| --- | --- |"]
            out += [f"| {_keys(entry.keys)} | {entry.description} |" for entry in REVIEW_KEYS]
            out.append("")
    out += ["## Mouse", "", "| Action | What it does |", "| --- | --- |"]
    out += [f"| {action} | {what} |" for action, what in MOUSE]
    return "\n".join(out) + "\n"


def _keys(keys: tuple[str, ...], joiner: str = ", ") -> str:
    return joiner.join(f"`{key}`" for key in keys)


if __name__ == "__main__":
    print(markdown(), end="")
