package privfile

import (
	"io/fs"
	"os"
)

// hold: Windows refuses to remove a file that is open, so a part file
// being written is safe from a sweep without a lock.
func hold(*os.File) error { return nil }

// busy: an open part file cannot be removed on Windows anyway.
func busy(string) bool { return false }

// ours: the folder's permissions decide on Windows.
func ours(fs.FileInfo) bool { return true }

// syncDir: Windows makes a rename durable with the file.
func syncDir(string) error { return nil }
