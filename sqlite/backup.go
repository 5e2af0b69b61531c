package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
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
func (s *Store) Backup(ctx context.Context, path, by string, at time.Time) (pages int, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return 0, fmt.Errorf("backup: %s exists already; choose a new file", path)
	}
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	f.Close()
	defer func() {
		// a copy the audit log records is kept: only the head file beside
		// the database lagged
		if err != nil && !errors.Is(err, ErrAuditHead) {
			os.Remove(path)
			os.Remove(path + "-journal")
			os.Remove(path + ".audit-head")
		}
	}()
	dst, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?_busy_timeout=5000")
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
	var seq int64
	var hash string
	if err := dconn.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE one = 1").Scan(&seq, &hash); err != nil {
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
	if err := writeHead(path+".audit-head", seq, hash); err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, err)
	}
	if err := s.Audit(ctx, Entry{At: at, Actor: by, Action: ActBackup, Detail: fmt.Sprintf("%d pages", pages)}); err != nil {
		return pages, err
	}
	return pages, nil
}
