// Package privfile writes a new file of patient data (an export, a
// saved summary) so that a crash leaves nothing readable beside it: the
// file appears whole under its name, readable by this user only (0600),
// or not at all.
//
// On Linux the data goes into an unnamed temporary file (O_TMPFILE) in
// the target's folder, synced, then linked in under its name: a kill
// before the link leaves no name, and the kernel frees the blocks.
// Where the file system refuses unnamed files (vfat and exFAT sticks,
// old tmpfs) and on other systems, a hidden part file of ours
// (PartPrefix and digits) is written and renamed; a failure removes it,
// and one that a crash left behind is removed by the next Write to that
// folder or by Sweep (the kiosk sweeps its save folders as it starts).
// It imports only fault.
package privfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"intakekiosk/fault"
)

// PartPrefix starts the name of every part file of ours; digits follow,
// nothing else (os.CreateTemp's random part).
const PartPrefix = ".intakekiosk-part-"

// Options choose how Write writes.
type Options struct {
	// Named skips the unnamed temporary file and writes through a named
	// part file, as on a file system that refuses O_TMPFILE (tests use it
	// to run both ways).
	Named bool
	// Replace lets the new file take the place of one already at the
	// path (which stays as it was until then); without it a file there
	// is refused with a fault.Exists error.
	Replace bool
}

// ErrExists: a file is at the path already (and Options.Replace is off).
var ErrExists error = fault.E(fault.Exists, "exists already; choose a new file")

// Write creates path with what write puts in the file, all of it or
// nothing: the file is synced and its folder too before Write returns.
// On error no file of ours is left, and whatever was at path is as it
// was. Part files a crash left in the folder are swept first.
func Write(path string, opt Options, write func(*os.File) error) error {
	dir := filepath.Dir(path)
	if !opt.Replace {
		if _, err := os.Lstat(path); err == nil {
			return &fault.Error{Op: "write", Field: path, Err: ErrExists}
		}
	}
	Sweep(dir) // what a crash left; a failure to sweep does not stop a new file
	var err error
	if opt.Named {
		err = writeNamed(dir, path, opt.Replace, write)
	} else {
		err = writeUnnamed(dir, path, opt.Replace, write)
		if errors.Is(err, errUnsupported) {
			err = writeNamed(dir, path, opt.Replace, write)
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// errUnsupported: the file system (or the system) has no unnamed
// temporary files; Write falls back to a named part file.
var errUnsupported = errors.New("no unnamed temporary files here")

// writeNamed writes through a part file of ours beside path, renamed into
// place once synced.
func writeNamed(dir, path string, replace bool, write func(*os.File) error) error {
	f, err := os.CreateTemp(dir, PartPrefix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if err = hold(f); err == nil {
		err = write(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = rename(tmp, path, replace)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// renameChecked renames from to to, refusing (ErrExists) when replace
// is off and a file is there: the check and the rename are two steps,
// where the system has no rename that refuses by itself.
func renameChecked(from, to string, replace bool) error {
	if !replace {
		if _, err := os.Lstat(to); err == nil {
			return ErrExists
		}
	}
	return os.Rename(from, to)
}

// isPart says whether a file name is one of our part files: PartPrefix
// and one or more digits, nothing else.
func isPart(name string) bool {
	rest, ok := strings.CutPrefix(name, PartPrefix)
	if !ok || rest == "" || len(rest) > 20 {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Sweep removes the part files of ours in dir that a crash left behind:
// regular files named exactly PartPrefix and digits, owned by this user,
// not being written by a running Write (which holds a lock on its part
// file where the system has them). It returns how many it removed; a
// folder that does not exist holds none.
func Sweep(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sweep %s: %w", dir, err)
	}
	n := 0
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !isPart(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		info, err := os.Lstat(p)
		if err != nil || !info.Mode().IsRegular() || !ours(info) {
			continue
		}
		if busy(p) {
			continue // another export is writing it
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if len(errs) > 0 {
		return n, fmt.Errorf("sweep %s: %w", dir, errors.Join(errs...))
	}
	return n, nil
}
