#!/usr/bin/env bash
# Put zp2p in the user's application menu: the .desktop entry and the hicolor icons go under
# $XDG_DATA_HOME (default ~/.local/share), with Exec pointing at an absolute program path so the
# menu works without zp2p on PATH. No root needed; --uninstall removes exactly what it installed.
#
# Usage: install-desktop.sh [--exec PROGRAM] [--uninstall]
# Works from the repo (packaging/) and from a bundle folder (build.sh copies it next to zp2p).
set -euo pipefail

APP_ID=io.github.zp2p.Zp2p
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
apps_dir=$data_home/applications
icons_dir=$data_home/icons/hicolor

usage() { sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

program=""
action=install
while [ $# -gt 0 ]; do
    case $1 in
        --exec) program=${2:?--exec needs a path}; shift 2 ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install-desktop.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

refresh_caches() {
    # Menus pick the change up without these on most desktops; run them when present, never fail on them.
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps_dir" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons_dir" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
    rm -f "$apps_dir/$APP_ID.desktop"
    for icon in "$icons_dir"/*/apps/"$APP_ID".png "$icons_dir"/scalable/apps/"$APP_ID".svg; do
        [ -e "$icon" ] && rm -f "$icon"
    done
    refresh_caches
    echo "removed $APP_ID from $apps_dir and $icons_dir"
    exit 0
fi

# resources/ sits beside packaging/ in the repo and in _internal/ inside a PyInstaller bundle.
resources=""
for candidate in "$here/../resources" "$here/_internal/resources" "$here/resources"; do
    if [ -f "$candidate/$APP_ID.desktop" ]; then resources=$(cd "$candidate" && pwd); break; fi
done
[ -n "$resources" ] || { echo "install-desktop.sh: cannot find resources/$APP_ID.desktop near $here" >&2; exit 1; }

if [ -z "$program" ]; then
    for candidate in "$here/zp2p" "$here/../dist/zp2p/zp2p"; do
        if [ -x "$candidate" ]; then program=$candidate; break; fi
    done
    [ -n "$program" ] || program=$(command -v zp2p || true)
fi
[ -n "$program" ] && [ -x "$program" ] || {
    echo "install-desktop.sh: no zp2p program found; build it (packaging/build.sh) or pass --exec PATH" >&2
    exit 1
}
program=$(cd "$(dirname "$program")" && pwd)/$(basename "$program")
case $program in
    *[\"\`\$\\]*) echo "install-desktop.sh: the path $program has \", \`, \$ or \\; move the bundle elsewhere" >&2; exit 1 ;;
esac
# Exec takes a quoted argument (spaces allowed); TryExec takes the bare path. Escape & and | for sed.
sed_path=$(printf '%s' "$program" | sed 's/[&|]/\\&/g')

mkdir -p "$apps_dir"
sed -e "s|^Exec=.*|Exec=\"$sed_path\"|" -e "s|^TryExec=.*|TryExec=$sed_path|" \
    "$resources/$APP_ID.desktop" > "$apps_dir/$APP_ID.desktop.tmp"
mv "$apps_dir/$APP_ID.desktop.tmp" "$apps_dir/$APP_ID.desktop"

count=0
for src in "$resources"/icons/hicolor/*/apps/"$APP_ID".*; do
    size_dir=$(basename "$(dirname "$(dirname "$src")")")
    install -D -m 0644 "$src" "$icons_dir/$size_dir/apps/$(basename "$src")"
    count=$((count + 1))
done
refresh_caches
echo "installed $apps_dir/$APP_ID.desktop (Exec=\"$program\") and $count icons under $icons_dir"
