from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from annotator.ui.common.settings import RECENT_MAX, SETTINGS, Settings


def ini_settings(path: Path) -> Settings:
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


def reopened(path: Path, settings: Settings) -> Settings:
    """Write to disk and read back through a new QSettings: values come back as INI strings."""
    settings.sync()
    return ini_settings(path)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.key)
def test_settings_every_key_is_declared_sensibly(setting):
    assert setting.doc.strip()
    assert isinstance(setting.default, setting.type)
    if setting.allowed is not None:
        assert setting.default in setting.allowed


def test_settings_defaults_before_anything_is_stored():
    settings = Settings()
    assert settings.value("annotator/name") == ""
    assert settings.value("view/theme") == "system"
    assert settings.value("view/zoom") == 0
    assert settings.value("recent/projects") == []
    assert settings.value("import/skip_invalid") is False
    assert isinstance(settings.value("main_window/geometry"), QByteArray)


@pytest.mark.parametrize(("key", "value"), [
    ("annotator/name", "Ana Souza"),
    ("view/theme", "dark"),
    ("view/zoom", 3),
    ("view/zoom", -2),
    ("recent/projects", []),
    ("recent/projects", ["/data/one.annotator"]),
    ("recent/projects", ["/data/one.annotator", "/data/two, with comma.annotator"]),
    ("import/skip_invalid", True),
    ("import/add_labels", False),
])
def test_settings_values_survive_an_ini_file(tmp_path, key, value):
    path = tmp_path / "settings.ini"
    settings = ini_settings(path)
    settings.set_value(key, value)
    again = reopened(path, settings).value(key)
    assert again == value
    assert type(again) is type(value)


def test_settings_one_element_list_read_back_as_a_string_is_a_list(tmp_path):
    path = tmp_path / "settings.ini"
    raw = QSettings(str(path), QSettings.Format.IniFormat)
    raw.setValue("recent/projects", "/data/only.annotator")  # what some platforms hand back
    assert Settings(raw).value("recent/projects") == ["/data/only.annotator"]


@pytest.mark.parametrize(("stored", "expected"), [("true", True), ("false", False), ("1", True), ("0", False),
                                                  ("nonsense", False)])
def test_settings_bool_strings_are_read_as_booleans(tmp_path, stored, expected):
    raw = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    raw.setValue("import/add_labels", stored)
    assert Settings(raw).value("import/add_labels") is expected


@pytest.mark.parametrize(("key", "stored"), [("view/theme", "purple"), ("view/zoom", "99"), ("view/zoom", "big")])
def test_settings_values_outside_the_allowed_ones_read_as_the_default(tmp_path, key, stored):
    raw = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    raw.setValue(key, stored)
    assert Settings(raw).value(key) == Settings(QSettings(str(tmp_path / "empty.ini"),
                                                          QSettings.Format.IniFormat)).value(key)


def test_settings_refuse_wrong_types_values_and_keys():
    settings = Settings()
    with pytest.raises(TypeError):
        settings.set_value("view/zoom", "3")
    with pytest.raises(ValueError):
        settings.set_value("view/theme", "purple")
    with pytest.raises(ValueError):
        settings.set_value("view/zoom", 1000)
    with pytest.raises(KeyError):
        settings.value("no/such/key")


def test_settings_list_default_is_not_shared_between_reads():
    settings = Settings()
    settings.value("recent/projects").append("x")
    assert settings.value("recent/projects") == []


def test_settings_recent_max_is_documented():
    doc = next(s.doc for s in SETTINGS if s.key == "recent/projects")
    assert str(RECENT_MAX) in doc
