package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Restore puts the backup at from, with its audit head file, in place of
// the database at to, safely: the backup must verify (integrity and audit
// chain) or nothing changes; a kiosk with the database open refuses it
// (ErrLocked); the database, its -wal, -shm and head file are moved aside
// as NAME.replaced-TIME, never deleted; the backup is copied through a
// temporary file, synced, then renamed in. It returns what was moved
// aside.
func Restore(ctx context.Context, from, to string, now time.Time) (aside []string, err error) {
	b, err := OpenReadOnly(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("restore: the backup: %w", err)
	}
	if err = b.IntegrityCheck(ctx); err == nil {
		_, err = b.VerifyAudit(ctx)
	}
	b.Close()
	if err != nil {
		return nil, fmt.Errorf("restore: the backup does not verify; nothing was changed: %w", err)
	}
	if _, replays, _ := readWAL(from + "-wal"); replays {
		return nil, fmt.Errorf("restore: the backup %s has a -wal file beside it (it was opened as a database): "+
			"open and close it once with kioskctl, or restore another backup; nothing was changed", from)
	}
	dir := filepath.Dir(to)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("restore: %w", folderError(dir, err))
	}
	lock, err := lockFile(to + ".lock")
	if err != nil {
		return nil, fmt.Errorf("restore to %s: %w: close the kiosk first; nothing was changed", to, err)
	}
	defer func() { unlockFile(lock); lock.Close() }()

	tmpDB, err := copyTemp(from, dir, "."+filepath.Base(to)+".restore-*")
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmpDB)
	tmpHead, err := copyTemp(from+".audit-head", dir, "."+filepath.Base(to)+".restore-head-*")
	if err != nil {
		return nil, fmt.Errorf("restore: the backup's audit head file: %w", err)
	}
	defer os.Remove(tmpHead)

	stamp := ".replaced-" + now.UTC().Format("20060102T150405Z")
	keep := func(p string, link bool) error {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		dst := p + stamp
		var err error
		if link {
			// the file stays where it is until the new one replaces it
			if err = os.Link(p, dst); err != nil {
				_, err = copyTo(p, dst)
			}
		} else {
			err = os.Rename(p, dst)
		}
		if err != nil {
			return fmt.Errorf("restore: could not set %s aside; nothing was replaced: %w", p, err)
		}
		aside = append(aside, dst)
		return nil
	}
	for _, k := range []struct {
		p    string
		link bool
	}{{to, true}, {to + ".audit-head", true}, {to + "-wal", false}, {to + "-shm", false}} {
		if err := keep(k.p, k.link); err != nil {
			return aside, err
		}
	}
	if err := os.Rename(tmpHead, to+".audit-head"); err != nil {
		return aside, fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(tmpDB, to); err != nil {
		return aside, fmt.Errorf("restore: %w", err)
	}
	syncDir(dir)
	return aside, nil
}

// copyTemp copies from into a new owner-only temporary file in dir,
// synced, and returns its name.
func copyTemp(from, dir, pattern string) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", folderError(dir, err)
	}
	f.Close()
	if _, err := copyTo(from, f.Name()); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// copyTo copies the file from onto to (created owner-only) and syncs it.
func copyTo(from, to string) (int64, error) {
	in, err := os.Open(from)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}
