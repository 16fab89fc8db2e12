#!/bin/sh
# Register annotator with a Linux desktop: menu entry, icon, and opener of *.annotator files.
#
#   install-desktop.sh [--exec /path/to/annotator] [--prefix DIR] [--uninstall]
#
# Runs from the bundle (dist/annotator/desktop/install-desktop.sh) or from a source checkout
# (packaging/install-desktop.sh). Installs for the current user into $XDG_DATA_HOME
# (~/.local/share) unless --prefix is given (e.g. --prefix /usr/local/share, as root).
# Without --exec it uses the bundle's program when run from a bundle, else `annotator` on PATH.
set -eu

APP_ID=org.annotator.Annotator
here=$(cd "$(dirname "$0")" && pwd)
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
exec_path=""
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --exec) exec_path=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

icons=$here/icons                                      # in the bundle
[ -d "$icons" ] || icons=$here/../resources/icons      # in a source checkout
sizes="16 32 48 64 128 256 512"

refresh() {
  if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$prefix/mime" || true; fi
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$prefix/applications" || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$prefix/icons/hicolor" || true; fi
}

if [ "$uninstall" -eq 1 ]; then
  rm -f "$prefix/applications/$APP_ID.desktop" "$prefix/metainfo/$APP_ID.metainfo.xml" \
        "$prefix/mime/packages/annotator-mime.xml" "$prefix/icons/hicolor/scalable/apps/$APP_ID.svg"
  for size in $sizes; do rm -f "$prefix/icons/hicolor/${size}x${size}/apps/$APP_ID.png"; done
  refresh
  echo "removed annotator's desktop entry from $prefix"
  exit 0
fi

if [ -z "$exec_path" ]; then
  if [ -x "$here/../annotator" ] && [ -f "$here/../annotator" ]; then
    exec_path=$(cd "$here/.." && pwd)/annotator
  elif command -v annotator >/dev/null 2>&1; then
    exec_path=$(command -v annotator)
  else
    echo "install-desktop.sh: no annotator program found; pass --exec /path/to/annotator" >&2
    exit 1
  fi
fi
case "$exec_path" in
  /*) ;;
  *) exec_path=$(cd "$(dirname "$exec_path")" && pwd)/$(basename "$exec_path") ;;
esac
case "$exec_path" in
  *" "*) exec_quoted="\"$exec_path\"" ;;  # Exec= quoting rules of the Desktop Entry spec
  *) exec_quoted=$exec_path ;;
esac

mkdir -p "$prefix/applications" "$prefix/metainfo" "$prefix/mime/packages" "$prefix/icons/hicolor/scalable/apps"
sed -e "s|^Exec=annotator |Exec=$exec_quoted |" -e "s|^TryExec=annotator\$|TryExec=$exec_path|" \
  "$here/$APP_ID.desktop" > "$prefix/applications/$APP_ID.desktop"
cp "$here/$APP_ID.metainfo.xml" "$prefix/metainfo/"
cp "$here/annotator-mime.xml" "$prefix/mime/packages/"
cp "$icons/annotator.svg" "$prefix/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in $sizes; do
  mkdir -p "$prefix/icons/hicolor/${size}x${size}/apps"
  cp "$icons/annotator-$size.png" "$prefix/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
refresh
echo "installed annotator's desktop entry in $prefix (runs $exec_path)"
