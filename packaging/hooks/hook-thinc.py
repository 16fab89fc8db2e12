# Replaces pyinstaller-hooks-contrib's hook-thinc.py: the same, less thinc's test suite.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules


def _not_tests(name: str) -> bool:
    return ".tests" not in name


datas = collect_data_files("thinc", excludes=["tests"])
hiddenimports = collect_submodules("thinc", filter=_not_tests)
