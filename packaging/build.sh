#!/usr/bin/env bash
# Build the one-folder application bundle, dist/annotator/, on a fresh machine, and test it.
#
#   packaging/build.sh [--python python3.11] [--out DIR] [--keep-venv]
#
# Makes its own venv (DIR/build/bundle-venv), installs annotator from this checkout and
# PyInstaller into it, runs packaging/annotator.spec into DIR/dist/annotator, then runs the
# bundle's `annotator --self-test` (offscreen when there is no display), and prints how long it
# took and how big the bundle is. DIR is this checkout unless --out says otherwise.
# Needs Python 3.11+ with venv; on Linux binutils and the Qt runtime libraries listed in .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

python=python3
out=$PWD
keep_venv=0
while [ $# -gt 0 ]; do
  case "$1" in
    --python) python=$2; shift 2 ;;
    --out) out=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --keep-venv) keep_venv=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

started=$SECONDS
venv=$out/build/bundle-venv
dist=$out/dist
if [ "$keep_venv" -eq 1 ] && { [ -x "$venv/bin/python" ] || [ -x "$venv/Scripts/python" ]; }; then
  echo "== reusing $venv"
else
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
vpython=$venv/bin/python
[ -x "$vpython" ] || vpython=$venv/Scripts/python  # Windows (Git Bash)

echo "== installing annotator and PyInstaller into $venv"
"$vpython" -m pip install --quiet . "pyinstaller>=6.10,<7"
# A kept venv already has this version of annotator: put the checkout's code in all the same.
[ "$keep_venv" -eq 0 ] || "$vpython" -m pip install --quiet --no-deps --force-reinstall .

echo "== building the bundle"
rm -rf "$dist/annotator" "$out/build/pyinstaller"
"$vpython" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$out/build/pyinstaller" packaging/annotator.spec
built=$SECONDS

program=$dist/annotator/annotator
[ -f "$program" ] || program=$dist/annotator/annotator.exe
echo "== $program --self-test"
"$program" --self-test

size=$(du -sh "$dist/annotator" | cut -f1)
echo "== built $dist/annotator ($size) in $((built - started)) s; self-test passed ($((SECONDS - built)) s)"
echo "   register it with a Linux desktop: $dist/annotator/desktop/install-desktop.sh"
