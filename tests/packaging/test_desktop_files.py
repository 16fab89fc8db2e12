"""Linux desktop integration: the desktop entry, AppStream metainfo, MIME type, icons, installer."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from packaging_helpers import ICON_SIZES, ICONS, PACKAGING, run

import annotator
from annotator.app import APP_ID

DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / "annotator-mime.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
MIME_TYPE = "application/x-annotator-project"
needs_sh = pytest.mark.skipif(sys.platform == "win32", reason="install-desktop.sh is for Linux desktops")


def desktop_entry(path=DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_desktop_files_entry_opens_projects():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "annotator open %f"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert entry["StartupWMClass"] == "annotator"  # Qt's WM_CLASS is the application name


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils is not installed")
def test_desktop_files_entry_validates():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout


def test_desktop_files_metainfo_matches_the_program():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("icon") == APP_ID
    assert root.findtext("provides/binary") == "annotator"
    assert root.findtext("provides/mediatype") == MIME_TYPE
    assert root.find("releases/release").get("version") == annotator.__version__


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream is not installed")
def test_desktop_files_metainfo_validates():
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_files_mime_type_is_the_annotator_suffix():
    root = ET.parse(MIME).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    [mime_type] = root.findall(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime_type.findall(f"{MIME_NS}glob")] == ["*.annotator"]
    assert mime_type.find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"
    assert mime_type.find(f"{MIME_NS}icon").get("name") == APP_ID


@pytest.mark.parametrize("size", ICON_SIZES)
def test_desktop_files_icon_png_sizes(size):
    assert png_size(ICONS / f"annotator-{size}.png") == (size, size)


def test_desktop_files_icons_match_the_svg():
    result = subprocess.run([sys.executable, str(PACKAGING / "render_icons.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_sh
def test_desktop_files_install_and_uninstall(tmp_path):
    program = tmp_path / "Program Files" / "annotator"  # a space: Exec must quote it
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    prefix = tmp_path / "share"
    script = PACKAGING / "install-desktop.sh"
    run(["sh", script, "--prefix", prefix, "--exec", program], timeout=60)

    installed = prefix / "applications" / DESKTOP.name
    entry = desktop_entry(installed)
    assert entry["Exec"] == f'"{program}" open %f'
    assert entry["TryExec"] == str(program)
    assert (prefix / "metainfo" / METAINFO.name).is_file()
    assert (prefix / "mime" / "packages" / MIME.name).is_file()
    assert (prefix / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        assert png_size(prefix / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True, text=True)
        assert result.returncode == 0 and "error" not in result.stdout, result.stdout
    if shutil.which("update-mime-database"):
        globs = (prefix / "mime" / "globs2").read_text(encoding="utf-8")
        assert f"{MIME_TYPE}:*.annotator" in globs
        assert qt_mime_type("paper.annotator", prefix) == MIME_TYPE

    run(["sh", script, "--prefix", prefix, "--uninstall"], timeout=60)
    leftovers = [p for p in prefix.rglob("*") if p.is_file() and (APP_ID in p.name or p.name == MIME.name)]
    assert not leftovers


@needs_sh
def test_desktop_files_install_needs_a_program(tmp_path):
    env = {**os.environ, "PATH": "/usr/bin:/bin"}  # no annotator on PATH, not run from a bundle
    result = subprocess.run(["sh", str(PACKAGING / "install-desktop.sh"), "--prefix", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "--exec" in result.stderr


def qt_mime_type(file_name: str, data_dir) -> str:
    """What Qt (hence the file dialogs) calls ``file_name`` with ``data_dir`` on XDG_DATA_DIRS."""
    code = ("from PySide6.QtCore import QMimeDatabase; import sys; "
            "print(QMimeDatabase().mimeTypeForFile(sys.argv[1], QMimeDatabase.MatchMode.MatchExtension).name())")
    env = {**os.environ, "XDG_DATA_DIRS": f"{data_dir}:/usr/local/share:/usr/share"}
    result = run([sys.executable, "-c", code, file_name], env=env, timeout=60)
    return result.stdout.strip()
