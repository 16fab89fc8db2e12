# Replaces pyinstaller-hooks-contrib's hook-spacy.py: the same, less spaCy's test suite (which
# would pull in pytest and fill the build log with warnings about the excluded modules).
from PyInstaller.utils.hooks import collect_data_files, collect_submodules


def _not_tests(name: str) -> bool:
    return ".tests" not in name


datas = collect_data_files("spacy", excludes=["tests"])
hiddenimports = collect_submodules("spacy", filter=_not_tests)
