//go:build !linux

package privfile

import "os"

// writeUnnamed: only Linux has unnamed temporary files.
func writeUnnamed(dir, path string, replace bool, write func(*os.File) error) error {
	return errUnsupported
}

// rename moves the part file from to to; without replace a file at to is
// ErrExists.
func rename(from, to string, replace bool) error { return renameChecked(from, to, replace) }
