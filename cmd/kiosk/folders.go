package main

import (
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"

	"intakekiosk/privfile"
	"intakekiosk/ui"
)

// sweepFolders removes from each folder the part files of ours that a
// crash during a save or an export left there (privfile.Sweep): our own
// only, by their exact name and owner. A failure is logged, never
// shown: the next save to that folder sweeps again.
func sweepFolders(folders []ui.Folder, log *slog.Logger) {
	for _, f := range folders {
		n, err := privfile.Sweep(f.Path)
		if err != nil {
			log.Warn("could not remove a part file a crash left", "folder", f.Name, "err", err)
		}
		if n > 0 {
			log.Info("removed part files a crash left", "folder", f.Name, "count", n)
		}
	}
}

// saveFolders lists where staff may save a summary: mounted removable
// drives first (under /media/USER and /run/media/USER on Linux,
// /Volumes on macOS, drive letters D: to Z: on Windows), then the user's
// Documents folder.
func saveFolders() []ui.Folder {
	var out []ui.Folder
	var roots []string
	switch runtime.GOOS {
	case "linux":
		if u, err := user.Current(); err == nil {
			roots = append(roots, filepath.Join("/media", u.Username), filepath.Join("/run/media", u.Username))
		}
	case "darwin":
		roots = append(roots, "/Volumes")
	case "windows":
		for c := 'D'; c <= 'Z'; c++ {
			d := string(c) + `:\`
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				out = append(out, ui.Folder{Name: "Drive " + string(c) + ":", Path: d})
			}
		}
	}
	for _, root := range roots {
		entries, err := os.ReadDir(root)
		if err != nil {
			continue
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			if e.IsDir() && e.Name() != "Macintosh HD" {
				out = append(out, ui.Folder{Name: "Drive " + e.Name(), Path: filepath.Join(root, e.Name())})
			}
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		docs := filepath.Join(home, "Documents")
		if fi, err := os.Stat(docs); err == nil && fi.IsDir() {
			out = append(out, ui.Folder{Name: "Documents on this computer", Path: docs})
		} else {
			out = append(out, ui.Folder{Name: "Home folder on this computer", Path: home})
		}
	}
	return out
}
