"""The Options box of the Export dialog: every format's options, each row shown for the formats
that take it (``ExportFormat.options``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QSpinBox, QWidget

from ...workflows.exporting import ExportFormat
from ..common.plain_text import plain_label as _plain

ALIGNMENT_CHOICES = (
    ("strict", "strict — spans that are not whole tokens are reported and left out"),
    ("contract", "contract — shrink them to the tokens inside (reported)"),
    ("expand", "expand — grow them to the tokens they touch (reported)"),
)
VARIANT_CHOICES = (("", "label lists ([start, end, label])"), ("relations", "entities and relations"),
                   ("annotations", "doccano 1.x: each annotator's spans as that user's"))


class ExportOptionsBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("Options", parent)
        self.dev_spin = QSpinBox()
        self.dev_spin.setObjectName("exportDev")
        self.dev_spin.setRange(0, 90)
        self.dev_spin.setSingleStep(5)
        self.dev_spin.setSuffix(" %")
        self.dev_spin.setValue(20)
        self.dev_spin.setToolTip("Share of the documents in the dev set, chosen by a stable hash of each text "
                                 "and the seed: the same project and seed always give the same split")
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("exportSeed")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip("Another seed gives another train/dev split")
        split_row = QHBoxLayout()
        split_row.addWidget(self.dev_spin)
        split_row.addSpacing(16)
        self.seed_label = _plain("Spl&it seed:", self.seed_spin)
        split_row.addWidget(self.seed_label)
        split_row.addWidget(self.seed_spin)
        split_row.addStretch(1)
        self.alignment_combo = QComboBox()
        self.alignment_combo.setObjectName("exportAlignment")
        for mode, text in ALIGNMENT_CHOICES:
            self.alignment_combo.addItem(text, mode)
        self.single_file_check = QCheckBox("Si&ngle files: train.spacy and dev.spacy as one file each, "
                                           "not folders of shards")
        self.single_file_check.setObjectName("exportSingleFile")
        self.tokens_check = QCheckBox("&Write tokens and token indices")
        self.tokens_check.setObjectName("exportTokens")
        self.tokens_check.setChecked(True)
        self.variant_combo = QComboBox()
        self.variant_combo.setObjectName("exportVariant")
        for variant, text in VARIANT_CHOICES:
            self.variant_combo.addItem(text, variant)
        self.utf16_check = QCheckBox("&UTF-16 offsets, as JavaScript counts them (emoji count 2)")
        self.utf16_check.setObjectName("exportUtf16")
        self.no_options = _plain("This format has no options.", name="exportNoOptions")
        self.no_options.setEnabled(False)

        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(_plain("De&v share:", self.dev_spin), split_row)
        self.form.addRow(_plain("Ali&gnment:", self.alignment_combo), self.alignment_combo)
        self.form.addRow(self.single_file_check)
        self.form.addRow(self.tokens_check)
        self.form.addRow(_plain("Va&riant:", self.variant_combo), self.variant_combo)
        self.form.addRow(self.utf16_check)
        self.form.addRow(self.no_options)
        # option name -> the form row showing it
        self._rows = {"dev": split_row, "seed": split_row, "alignment": self.alignment_combo,
                      "single_file": self.single_file_check, "tokens": self.tokens_check,
                      "variant": self.variant_combo, "offsets": self.utf16_check}

    def show_for(self, info: ExportFormat) -> None:
        shown = set(info.options)
        rows: dict[int, tuple[Any, bool]] = {}
        for name, row in self._rows.items():
            _row, wanted = rows.get(id(row), (row, False))
            rows[id(row)] = (row, wanted or name in shown)
        for row, wanted in rows.values():
            self.form.setRowVisible(row, wanted)
        self.form.setRowVisible(self.no_options, not shown)
        self.setTitle(f"Options for {info.name}")

    def values(self, info: ExportFormat) -> dict[str, Any]:
        """The options ``info``'s format takes, as ExportOptions fields (the rest keep their defaults)."""
        given: dict[str, Any] = {}
        if "dev" in info.options:
            given["dev"] = self.dev_spin.value() / 100
        if "seed" in info.options:
            given["seed"] = self.seed_spin.value()
        if "alignment" in info.options:
            given["alignment"] = self.alignment_combo.currentData()
        if "single_file" in info.options:
            given["single_file"] = self.single_file_check.isChecked()
        if "tokens" in info.options:
            given["tokens"] = self.tokens_check.isChecked()
        if "variant" in info.options:
            given["variant"] = self.variant_combo.currentData()
        if "offsets" in info.options and self.utf16_check.isChecked():
            given["offsets"] = "utf16"
        return given
