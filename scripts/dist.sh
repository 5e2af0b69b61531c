#!/usr/bin/env bash
# dist.sh: build the release artifacts into dist/ (run by `make dist`, which
# installs the Debian packages it needs first: DIST_DEPS in the Makefile).
#
#   dist/intake-kiosk_VERSION_linux_amd64.tar.xz  `fyne package` of a binary built first
#   dist/intake-kiosk_VERSION_amd64.deb           the same files as a Debian package, with
#                                                 Depends on the GL, X11 and Wayland libraries
#   dist/windows/kiosk.exe, kioskctl.exe          cross-compiled with mingw-w64, SQLite inside
#   dist/SHA256SUMS
#
# Name, app id, version and icon come from FyneApp.toml. `fyne package` bumps
# Build in the FyneApp.toml it reads, so it runs on a copy in a temporary folder
# and the repository's file never changes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
GO=${GO:-go}
FYNE_TOOLS=fyne.io/tools/cmd/fyne@v1.7.4 # built against Fyne 2.8.1; never in go.mod
dist=$root/dist
exe=intake-kiosk # the Linux command name (package, .desktop Exec, /usr/bin)

die() { echo "dist: $*" >&2; exit 1; }
# toml KEY: a string value from FyneApp.toml's [Details].
toml() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\(.*\)\"[[:space:]]*$/\1/p" FyneApp.toml | head -n1; }
name=$(toml Name) id=$(toml ID) version=$(toml Version) icon=$(toml Icon)
[ -n "$name" ] && [ -n "$id" ] && [ -n "$version" ] && [ -f "$icon" ] ||
  die "FyneApp.toml needs Name, ID, Version and an Icon file"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$dist"
mkdir -p "$dist/windows"

# ---- the fyne command, outside go.mod ----
fyne="$($GO env GOPATH)/bin/fyne"
if [[ "$("$fyne" version 2>/dev/null || true)" != *"cli version: v1.7.4"* ]]; then
  echo "dist: installing $FYNE_TOOLS" >&2
  (cd "$work" && GOFLAGS= $GO install "$FYNE_TOOLS")
fi

# ---- Linux binaries ----
echo "dist: building Linux binaries (cgo: Fyne's GL driver and SQLite; minutes when cold)" >&2
linux=$work/linux
CGO_ENABLED=1 $GO build -trimpath -ldflags "-s -w" -o "$linux/$exe" ./cmd/kiosk
CGO_ENABLED=1 $GO build -trimpath -ldflags "-s -w" -o "$linux/kioskctl" ./cmd/kioskctl

# ---- fyne package (linux tar.xz) in a copy of the folder ----
pkg=$work/fyne
mkdir -p "$pkg/$(dirname "$icon")" "$pkg/cmd"
cp FyneApp.toml "$pkg/"
cp "$icon" "$pkg/$icon"
cp -r cmd/kiosk "$pkg/cmd/" # fyne package wants Go code under the folder it runs in
(cd "$pkg" && "$fyne" package --target linux --executable "$linux/$exe")
tarball=$dist/${exe}_${version}_linux_amd64.tar.xz
mv "$pkg/$name.tar.xz" "$tarball"
cmp -s FyneApp.toml "$pkg/FyneApp.toml" && die "fyne package did not bump Build in its copy (a newer fyne?)"

# ---- Debian package: the tarball's .desktop file and icon, both binaries ----
mkdir -p "$work/tar" && tar -xJf "$tarball" -C "$work/tar"
desktop=$(find "$work/tar" -name "$id.desktop" | head -n1)
pixmap=$(find "$work/tar" -path '*/pixmaps/*' -name "$id.*" | head -n1)
[ -n "$desktop" ] && [ -n "$pixmap" ] || die "no $id.desktop or icon in $tarball"
grep -q "^Exec=$exe" "$desktop" || die "$desktop does not start $exe"

deb=$work/deb
install -Dm0755 "$linux/$exe" "$deb/usr/bin/$exe"
install -Dm0755 "$linux/kioskctl" "$deb/usr/bin/kioskctl"
install -Dm0644 "$desktop" "$deb/usr/share/applications/$id.desktop"
install -Dm0644 "$pixmap" "$deb/usr/share/pixmaps/$(basename "$pixmap")"
install -Dm0644 "$icon" "$deb/usr/share/icons/hicolor/256x256/apps/$id.png"

# What the binaries link (libGL, libwayland-client, libc) comes from the ELF
# headers; GLFW 3.4 loads the rest with dlopen at run time, so its X11 and
# Wayland libraries are listed here and kept only if the binary names them.
mkdir -p "$work/shlib/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$exe" "$exe" >"$work/shlib/debian/control"
linked=$(cd "$work/shlib" && dpkg-shlibdeps -O "$deb/usr/bin/$exe" "$deb/usr/bin/kioskctl" 2>/dev/null |
  sed -n 's/^shlibs:Depends=//p')
[ -n "$linked" ] || die "dpkg-shlibdeps found no libraries"
depends=$linked
while read -r so dep; do
  if grep -qaF "$so" "$deb/usr/bin/$exe"; then depends="$depends, $dep"; fi
done <<'EOF'
libX11.so.6 libx11-6
libXrandr.so.2 libxrandr2
libXcursor.so.1 libxcursor1
libXinerama.so.1 libxinerama1
libXi.so.6 libxi6
libXxf86vm.so.1 libxxf86vm1
libXext.so.6 libxext6
libXrender.so.1 libxrender1
libX11-xcb.so.1 libx11-xcb1
libwayland-cursor.so.0 libwayland-cursor0
libwayland-egl.so.1 libwayland-egl1
libxkbcommon.so.0 libxkbcommon0
libEGL.so.1 libegl1
EOF
for req in libgl1 libx11-6 libxrandr2 libxcursor1 libxinerama1 libxi6 libxxf86vm1; do
  case ", $depends," in *", $req"[,\ ]*) ;; *) die "Depends lacks $req: $depends" ;; esac
done

mkdir -p "$deb/DEBIAN"
cat >"$deb/DEBIAN/control" <<EOF
Package: $exe
Version: $version
Architecture: amd64
Maintainer: Intake Kiosk project
Installed-Size: $(du -sk "$deb/usr" | cut -f1)
Depends: $depends
Recommends: cups-client
Suggests: cage, espeak-ng
Section: misc
Priority: optional
Description: $name: offline touchscreen intake kiosk for a clinic
 Walk-in patients answer screening questionnaires and daily withdrawal
 check-ins on a touchscreen; answers are sealed in a local SQLite database.
 Includes $exe (the kiosk) and kioskctl (the admin command).
EOF
debfile=$dist/${exe}_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$deb" "$debfile" >/dev/null

# ---- Windows, cross-compiled with mingw-w64 ----
echo "dist: building Windows binaries with mingw-w64 (cold: minutes)" >&2
winenv=(env CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++)
"${winenv[@]}" $GO build -trimpath -ldflags "-s -w -H windowsgui" -o "$dist/windows/kiosk.exe" ./cmd/kiosk
"${winenv[@]}" $GO build -trimpath -ldflags "-s -w" -o "$dist/windows/kioskctl.exe" ./cmd/kioskctl
file -b "$dist/windows/kiosk.exe" | grep -q '^PE32+ executable (GUI) x86-64' ||
  die "kiosk.exe is not a PE32+ GUI executable: $(file -b "$dist/windows/kiosk.exe")"
file -b "$dist/windows/kioskctl.exe" | grep -q '^PE32+ executable (console) x86-64' ||
  die "kioskctl.exe is not a PE32+ console executable: $(file -b "$dist/windows/kioskctl.exe")"
for f in kiosk kioskctl; do
  grep -qa 'SQLite format 3' "$dist/windows/$f.exe" || die "$f.exe has no SQLite inside"
  # Only DLLs every Windows has: no mingw runtime (libwinpthread, libgcc) or sqlite3.dll to ship.
  dlls=$(x86_64-w64-mingw32-objdump -p "$dist/windows/$f.exe" | sed -n 's/^[[:space:]]*DLL Name: //p' | sort -u)
  odd=$(grep -viE '^(kernel32|user32|gdi32|shell32|advapi32|ole32|winmm|ws2_32|opengl32|imm32|dwmapi|shcore|winspool\.drv|comdlg32|ntdll|msvcrt|api-ms-win-.*|bcrypt|crypt32|version|uxtheme|setupapi|hid|dinput8|xinput.*|powrprof|secur32|iphlpapi|userenv|oleaut32|comctl32)(\.dll)?$' <<<"$dlls" || true)
  [ -z "$odd" ] || die "$f.exe needs DLLs that are not part of Windows: $odd"
done

(cd "$dist" && sha256sum "$(basename "$tarball")" "$(basename "$debfile")" windows/kiosk.exe windows/kioskctl.exe >SHA256SUMS)

# Sanity: the repository's FyneApp.toml is untouched.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git diff --quiet -- FyneApp.toml; then
  echo "dist: note: FyneApp.toml differs from git (not by this script)" >&2
fi

echo
echo "Artifacts:"
for f in "$tarball" "$debfile" "$dist/windows/kiosk.exe" "$dist/windows/kioskctl.exe"; do
  printf '  %-52s %6s  (%s bytes)\n' "${f#"$root"/}" "$(du -h "$f" | cut -f1)" "$(stat -c %s "$f")"
done
echo "  Depends: $depends"
