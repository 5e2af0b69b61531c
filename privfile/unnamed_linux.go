package privfile

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// writeUnnamed writes an unnamed temporary file in dir (O_TMPFILE) and
// links it in at path once synced: directly when nothing may be
// replaced (the link itself refuses a file there), else under a part
// name renamed over path. errUnsupported: the file system has none.
func writeUnnamed(dir, path string, replace bool, write func(*os.File) error) error {
	if fi, err := os.Stat("/proc/self/fd"); err != nil || !fi.IsDir() {
		return errUnsupported // no way to link it in unprivileged
	}
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	switch {
	case errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EISDIR), errors.Is(err, unix.EINVAL):
		return errUnsupported
	case err != nil:
		return &os.PathError{Op: "open", Path: dir, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	defer f.Close()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if !replace {
		if err := link(f, path); err != nil {
			return err
		}
		return syncDir(dir)
	}
	for range 10 {
		tmp, err := os.CreateTemp(dir, PartPrefix+"*")
		if err != nil {
			return err
		}
		// only the name is wanted: it is free again for the link, and a
		// crash from here on leaves a whole file under a part name that
		// the next sweep removes
		name := tmp.Name()
		tmp.Close()
		os.Remove(name)
		err = link(f, name)
		if errors.Is(err, ErrExists) {
			continue
		}
		if err == nil {
			if err = os.Rename(name, path); err != nil {
				os.Remove(name)
			}
		}
		if err != nil {
			return err
		}
		return syncDir(dir)
	}
	return fmt.Errorf("link %s: no free part name", path)
}

// link gives the unnamed file f the name path, through /proc/self/fd;
// a file at path is ErrExists.
func link(f *os.File, path string) error {
	err := unix.Linkat(unix.AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", f.Fd()), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if errors.Is(err, unix.EEXIST) {
		return ErrExists
	}
	if err != nil {
		return &os.PathError{Op: "link", Path: path, Err: err}
	}
	return nil
}

// rename moves the part file from to to; without replace a file at to is
// ErrExists (renameat2's RENAME_NOREPLACE, else a check first where the
// file system lacks it).
func rename(from, to string, replace bool) error {
	if replace {
		return os.Rename(from, to)
	}
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	switch {
	case errors.Is(err, unix.EEXIST):
		return ErrExists
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS):
		return renameChecked(from, to, false)
	case err != nil:
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}
