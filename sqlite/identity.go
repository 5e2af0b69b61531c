package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"intakekiosk/fault"
)

// checkWAL looks at the -wal file beside an existing database before
// SQLite opens it: one that does not belong (see walVerdict) is set aside
// unreplayed, when mayMove (no kiosk has the database open), and reported
// in Warnings; with a kiosk running it is refused instead.
func (s *Store) checkWAL(mayMove bool) error {
	id, err := dbHeaderID(s.path)
	if err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	w, replays, err := readWAL(s.path + "-wal")
	if err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	h, ok, herr := readHead(s.headPath())
	why := walVerdict(w, replays, id, h, ok && herr == nil)
	if why == "" {
		return nil
	}
	fe := &ForeignWALError{WAL: s.path + "-wal", Why: why}
	if !mayMove {
		return fmt.Errorf("database %s: %w; a kiosk has the database open, so it was left where it is: close the kiosk, then open the database again", s.path, fe)
	}
	if fe.Moved, err = setAside(s.path, s.now()); err != nil {
		return fmt.Errorf("database %s: %w; it could not be set aside: %w", s.path, fe, err)
	}
	s.warnings = append(s.warnings, fmt.Errorf("database %s: %w", s.path, fe))
	return nil
}

// stamp gives the database its id when it has none (a random
// application_id, checkpointed into the main file so that checkWAL reads
// it there), then writes the id once more so that a WAL generation is
// open, and records both in the head file. After this every commit that
// starts a new WAL generation records it (noteWAL).
func (s *Store) stamp(ctx context.Context) error {
	var v int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&v); err != nil {
		return err
	}
	id := uint32(int32(v))
	if id == 0 {
		var err error
		if id, err = newID(); err != nil {
			return err
		}
	}
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", int32(id))); err != nil {
		return err
	}
	if onDisk, err := dbHeaderID(s.path); err == nil && onDisk != id {
		// best effort: a reader elsewhere may hold the checkpoint back;
		// the next open tries again
		s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", int32(id)))
	}
	s.dbID = id
	return s.syncHead(ctx)
}

// now is the clock for the names of files set aside.
func (s *Store) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}

// OpenReadOnly opens the database at path for checking (kioskctl verify)
// and changes nothing: SQLite never opens the files. The main file, and
// its WAL when that belongs to it, are read into memory as SQLite would
// replay them; a WAL that does not belong is left out, where it is, and
// reported in Warnings. A read-only file opens too. Writes are refused
// with ErrReadOnly.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	main, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("database %s: %w", path, fault.E(fault.NotFound, "no such file"))
	}
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	s := &Store{path: path, readOnly: true, writing: map[string]*openSession{}}
	if s.dbID, err = dbHeaderID(path); err != nil || len(main) < 100 {
		return nil, fmt.Errorf("database %s: %w", path, ErrCorrupt)
	}
	w, replays, err := readWAL(path + "-wal")
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	h, ok, herr := readHead(s.headPath())
	img := main
	if why := walVerdict(w, replays, s.dbID, h, ok && herr == nil); why != "" {
		s.warnings = append(s.warnings, fmt.Errorf("database %s: %w", path, &ForeignWALError{WAL: path + "-wal", Why: why}))
	} else if replays {
		if img, err = applyWAL(main, w); err != nil {
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	// a memory database keeps no WAL: mark the image as a rollback one
	img[18], img[19] = 1, 1
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s.db, s.read = db, db
	conn, err := db.Conn(ctx)
	if err == nil {
		err = conn.Raw(func(c any) error { return c.(*sqlite3.SQLiteConn).Deserialize(img, "main") })
		conn.Close()
	}
	if err == nil {
		_, err = db.ExecContext(ctx, "PRAGMA query_only = 1")
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, classify(err))
	}
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, classify(err))
	}
	if known := len(migrationNames()); version > known {
		db.Close()
		return nil, fmt.Errorf("database %s: %w (schema %d; this program knows up to %d)", path, ErrTooNew, version, known)
	}
	if err := s.loadRecipients(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, classify(err))
	}
	return s, nil
}

// applyWAL lays the WAL's committed pages over the main file's image.
func applyWAL(main []byte, w wal) ([]byte, error) {
	ps := int(binary.BigEndian.Uint16(main[16:]))
	if ps == 1 {
		ps = 65536
	}
	if ps != w.PageSize {
		return nil, fmt.Errorf("%w (the WAL's page size is not the database's)", ErrCorrupt)
	}
	img := make([]byte, int(w.DBPages)*ps)
	copy(img, main)
	for n, p := range w.Pages {
		if n >= 1 && n <= w.DBPages {
			copy(img[int(n-1)*ps:], p)
		}
	}
	return img, nil
}
