package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// ActBackup is the audit action of a backup.
const ActBackup = "backup"

// Backup writes a consistent copy of the database to path, a new file
// readable by its owner only, while the kiosk goes on: SQLite's online
// backup reads one snapshot on a read connection (in WAL mode a reader
// never holds up a patient's commit). The copy's audit head file is
// written beside it from the copy's own audit log, so `verify` checks
// the copy as it was. Everything sealed stays sealed: a backup needs no
// unlock. by is recorded in the audit log. An existing path is refused.
//
// The copy is written through a hidden temporary file beside path
// (".NAME.backup-*"), synced, then linked in under path only when whole,
// so a backup killed at any moment leaves nothing at path (a leftover
// temporary file is removed by the next backup to the same name). The
// copy gets its own database id, so that it is never taken for the
// database it came from (a WAL of that one is not replayed into it).
// A database whose audit log does not hold is not backed up
// (ErrAuditBroken): a backup is audited.
func (s *Store) Backup(ctx context.Context, path, by string, at time.Time) (pages int, err error) {
	if s.readOnly {
		return 0, fmt.Errorf("backup: %w: opened read-only (for checking)", ErrReadOnly)
	}
	if _, err := os.Lstat(path); err == nil {
		return 0, fmt.Errorf("backup: %s exists already; choose a new file", path)
	}
	if err := s.CheckAuditHead(ctx); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	dir, base := filepath.Dir(path), filepath.Base(path)
	removeTemps(dir, base)
	f, err := os.CreateTemp(dir, "."+base+".backup-*")
	if err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, folderError(dir, err))
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		for _, p := range []string{tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"} {
			os.Remove(p)
		}
		// a copy the audit log records is kept: only the head file beside
		// the database lagged
		if err != nil && !errors.Is(err, ErrAuditHead) {
			os.Remove(path + ".audit-head")
		}
	}()
	dst, err := sql.Open("sqlite3", "file:"+escapePath(tmp)+"?_busy_timeout=5000")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer dst.Close()
	dconn, err := dst.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, classify(err))
	}
	defer dconn.Close()
	sconn, err := s.read.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", classify(err))
	}
	defer sconn.Close()
	err = sconn.Raw(func(src any) error {
		return dconn.Raw(func(dc any) error {
			b, err := dc.(*sqlite3.SQLiteConn).Backup("main", src.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			// all pages in one step: one snapshot, never restarted by a
			// commit on another connection
			if _, err := b.Step(-1); err != nil {
				b.Finish()
				return err
			}
			pages = b.PageCount()
			return b.Finish()
		})
	})
	if err != nil {
		return 0, fmt.Errorf("backup to %s: %w", path, classify(err))
	}
	id, err := newID()
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	// a file on its own, with no WAL beside it, and its own id
	for _, q := range []string{"PRAGMA journal_mode = DELETE", fmt.Sprintf("PRAGMA application_id = %d", int32(id))} {
		if _, err := dconn.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("backup %s: %w", path, classify(err))
		}
	}
	seq, hash, err := dbHead(ctx, dconn)
	if err != nil {
		return 0, fmt.Errorf("backup %s: audit head: %w", path, classify(err))
	}
	var check string
	if err := dconn.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil || check != "ok" {
		return 0, fmt.Errorf("backup %s: the copy does not check: %s %v", path, check, err)
	}
	dconn.Close()
	if err := dst.Close(); err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, err)
	}
	// the head file first: a kill before the copy is linked in leaves a
	// head file and no database, which verify calls missing, not damaged
	if err := writeFileAtomic(path+".audit-head", head{Seq: seq, Hash: hash, DB: id}.encode()); err != nil {
		return 0, fmt.Errorf("backup %s: audit head file: %w", path, err)
	}
	if err := linkIn(tmp, path); err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, err)
	}
	if err := s.Audit(ctx, Entry{At: at, Actor: by, Action: ActBackup, Detail: fmt.Sprintf("%d pages", pages)}); err != nil {
		if !errors.Is(err, ErrAuditHead) {
			os.Remove(path)
		}
		return pages, err
	}
	return pages, nil
}

// newID draws a database id (never 0, which means none).
func newID() (uint32, error) {
	for {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return 0, err
		}
		if id := binary.BigEndian.Uint32(b[:]); id != 0 {
			return id, nil
		}
	}
}

// removeTemps removes what a killed backup to dir/base left: its hidden
// temporary copy and SQLite's files beside it.
func removeTemps(dir, base string) {
	left, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".backup-*"))
	for _, p := range left {
		os.Remove(p)
	}
}

// globEscape quotes what filepath.Match reads as a pattern.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// syncFile flushes a closed file to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// linkIn puts the whole file tmp at path, refusing to replace a file
// that appeared there meanwhile (a hard link where the file system has
// them, else a rename after a last look), and syncs the folder.
func linkIn(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		os.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s exists already; choose a new file", path)
	default:
		if _, serr := os.Lstat(path); serr == nil {
			return fmt.Errorf("%s exists already; choose a new file", path)
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	syncDir(filepath.Dir(path))
	return nil
}
