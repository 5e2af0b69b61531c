// Package sqlite keeps the kiosk's records in SQLite: schema migrations,
// sessions, the records a patient enters (sealed through package vault on
// their way to disk), staff accounts and settings.
//
// Every write is its own transaction, committed with synchronous=FULL in WAL
// mode before the call returns: an answer is durable before the next screen
// appears.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"intakekiosk/fault"
	"intakekiosk/vault"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Errors Open returns (wrapped, with the path); test them with errors.Is.
var (
	// ErrLocked: another kiosk process has the database open.
	ErrLocked error = fault.E(fault.Locked, "in use by another kiosk process")
	// ErrCorrupt: the file is damaged or is not a kiosk database.
	ErrCorrupt error = fault.E(fault.Corrupt, "damaged or not a kiosk database")
	// ErrTooNew: the database was made by a newer version of the program.
	ErrTooNew error = fault.E(fault.TooNew, "made by a newer version of the kiosk")
	// ErrBusy: SQLite could not get its lock in time.
	ErrBusy error = fault.E(fault.Busy, "busy: another program is writing to it")
	// ErrFull: the disk (or the database's size cap) is full.
	ErrFull error = fault.E(fault.Full, "disk full")
	// ErrBeforeSealing: the database holds sessions stored before
	// sealing existed, in clear.
	ErrBeforeSealing error = fault.E(fault.Corrupt, "made by a version of the kiosk that stored answers unsealed")
)

// Options configure Open.
type Options struct {
	// Rand is the randomness for data keys and nonces; nil means
	// crypto/rand.
	Rand io.Reader
	// WorkFactor is the scrypt work factor for wrapping the clinic key
	// under passphrases; 0 means vault.WorkFactor (tests lower it).
	WorkFactor int
	// Exclusive takes the kiosk lock file beside the database, so that a
	// second kiosk on the same file is refused (kioskctl does not take it).
	Exclusive bool
	// Now is the clock of what the store itself puts on record (a
	// migration's audit entry, sessions recovered after a crash) and of
	// the names of files set aside; nil means time.Now.
	Now func() time.Time
	// MaxPages caps the database's size in pages (PRAGMA max_page_count);
	// 0 leaves SQLite's limit. Writes past it fail with ErrFull.
	MaxPages int
}

// Store is an open kiosk database.
type Store struct {
	db *sql.DB
	// read is a pool of query-only connections for staff reads (opening
	// sessions, searches), so they run beside each other and a patient's
	// commit on db is never queued behind them.
	read       *sql.DB
	path       string
	lock       *os.File
	rand       io.Reader
	workFactor int
	// unwrap and stretch are the key derivations of a sign-in
	// (vault.Unwrap, vault.Stretch); the package's tests count them
	unwrap  func(wrapped []byte, passphrase string) (*vault.ClinicKey, error)
	stretch func(secret string, salt []byte, workFactor int) ([]byte, error)
	// recipients are the public keys sessions are sealed to (nil until
	// the kiosk is set up)
	recipients *vault.Recipients
	// writer is this database's id as a writer of records (node), and
	// writerN its number in the writers table
	writer  string
	writerN int64
	// writing holds the data keys of the sessions this process started,
	// for their answers; a key is dropped when its session ends
	writing map[string]*openSession
	mu      sync.Mutex // guards writing: a purge may run beside the kiosk

	// dbID is the database's id (its header's application_id)
	dbID uint32
	// wal is the WAL generation the head file last recorded
	wal     walID
	haveWAL bool
	headMu  sync.Mutex // guards wal, haveWAL and the head file's writes
	// auditMu makes each audited commit and its head file's update one
	// step: two at once (a kiosk's session end and the network's push)
	// would otherwise each find the file behind the other's entry
	auditMu sync.Mutex
	clock   func() time.Time
	// readOnly: opened by OpenReadOnly, in memory; nothing is written
	readOnly bool
	// headLags: VerifyAudit found the head file one entry behind
	headLags bool
	// warnings are what Open set right and the caller should say
	warnings []error
}

// ErrReadOnly: the database file, one beside it or its folder cannot be
// written by this user (kind fault.Permission).
var ErrReadOnly error = fault.E(fault.Permission, "cannot be written")

// Warnings are what Open found and set right that staff should hear of:
// a WAL file that did not belong, set aside (a *ForeignWALError).
func (s *Store) Warnings() []error { return s.warnings }

// dsnParams: WAL, a commit on disk before it returns, foreign keys, and
// secure_delete so that deleted records are overwritten, not just
// unlinked.
const dsnParams = "_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate&_secure_delete=on"

// Open opens the database at path, creating it (and its folder) if it does
// not exist, and brings its schema up to date. A damaged file, a database
// of a newer program or one locked by another kiosk is refused with an
// error naming the file, and left untouched.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	s := &Store{path: path, clock: opt.Now, rand: opt.Rand, workFactor: opt.WorkFactor, writing: map[string]*openSession{},
		unwrap: vault.Unwrap, stretch: vault.Stretch}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.workFactor == 0 {
		s.workFactor = vault.WorkFactor
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("database %s: %w", path, folderError(filepath.Dir(path), err))
	}
	if err := writable(path); err != nil {
		return nil, err
	}
	// the kiosk lock: held for good by a kiosk (Exclusive); taken for the
	// opening by kioskctl, so that a WAL is set aside only while no kiosk
	// has it open
	f, err := lockFile(path + ".lock")
	// a kioskctl holds the lock only while it opens: a kiosk waits that out
	for wait := time.Now().Add(lockWait); opt.Exclusive && errors.Is(err, ErrLocked) && time.Now().Before(wait); {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		f, err = lockFile(path + ".lock")
	}
	switch {
	case err == nil:
	case opt.Exclusive || !errors.Is(err, ErrLocked):
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	s.lock = f
	err = s.open(ctx, opt.MaxPages, f != nil)
	if !opt.Exclusive && s.lock != nil {
		unlockFile(s.lock)
		s.lock.Close()
		s.lock = nil
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// writable refuses, before SQLite creates anything, a database that
// cannot be written: SQLite would open it read-only and leave -wal and
// -shm files of the same read-only mode behind, so that it stays
// unwritable once the database's mode is put right.
func writable(path string) error {
	dir := filepath.Dir(path)
	if err := canWrite(dir); err != nil {
		return fmt.Errorf("database %s: %w", path, folderError(dir, err))
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if errors.Is(err, fs.ErrPermission) {
			mode := ""
			if fi, err := os.Stat(p); err == nil {
				mode = fmt.Sprintf(" (mode %04o)", fi.Mode().Perm())
			}
			return fmt.Errorf("database %s: %w: the file %s is read-only%s for this user; the kiosk must write to it. "+
				"Make it writable by its owner (chmod 600 %s), or check it as it is with kioskctl verify, which only reads",
				path, ErrReadOnly, p, mode, p)
		}
		if err != nil {
			return fmt.Errorf("database %s: %w", path, err)
		}
		f.Close()
	}
	return nil
}

// folderError names a folder the kiosk cannot write in.
func folderError(dir string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w: the folder %s cannot be written by this user; the kiosk keeps its -wal, -shm, lock "+
			"and audit head files beside the database. Make the folder writable by its owner (chmod 700 %s) or give another --db", ErrReadOnly, dir, dir)
	}
	return err
}

// lockWait is how long a kiosk waits for a kioskctl's opening to end.
const lockWait = 2 * time.Second

// readConns is how many staff reads run at once.
const readConns = 4

func (s *Store) open(ctx context.Context, maxPages int, mayMove bool) error {
	switch _, err := os.Stat(s.path); {
	case err == nil:
		if err := s.checkWAL(mayMove); err != nil {
			return err
		}
		if err := check(ctx, s.path); err != nil {
			return err
		}
	case errors.Is(err, fs.ErrNotExist):
		// Create the file private before SQLite does: its -wal and -shm
		// files take the database file's permissions.
		f, err := os.OpenFile(s.path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("database %s: %w", s.path, err)
		}
		f.Close()
	default:
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	db, err := sql.Open("sqlite3", "file:"+escapePath(s.path)+"?"+dsnParams)
	if err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	db.SetMaxOpenConns(1)
	s.db = db
	if err := s.stamp(ctx); err != nil {
		return fmt.Errorf("database %s: %w", s.path, classify(err))
	}
	if err := s.migrate(ctx); err != nil {
		return fmt.Errorf("database %s: %w", s.path, classify(err))
	}
	if err := s.loadRecipients(ctx); err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	if err := s.loadWriter(ctx); err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	// the check-in codes' key made now, not at the first code: a copy of
	// this database that joins the clinic network (a kiosk made from a
	// backup) then matches the codes given here
	if !s.readOnly {
		if _, err := s.codeKey(ctx); err != nil {
			return fmt.Errorf("database %s: %w", s.path, err)
		}
	}
	read, err := sql.Open("sqlite3", "file:"+escapePath(s.path)+"?_busy_timeout=5000&_query_only=1")
	if err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	read.SetMaxOpenConns(readConns)
	s.read = read
	if maxPages > 0 {
		if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", maxPages)); err != nil {
			return fmt.Errorf("database %s: %w", s.path, classify(err))
		}
	}
	return nil
}

// check looks at an existing file read-only before anything writes to it.
func check(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("database %s: %w", path, err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return fmt.Errorf("database %s: %w", path, classify(err))
	}
	if res != "ok" {
		return fmt.Errorf("database %s: %w (integrity check: %s)", path, ErrCorrupt, res)
	}
	var version, tables int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("database %s: %w", path, classify(err))
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'").Scan(&tables); err != nil {
		return fmt.Errorf("database %s: %w", path, classify(err))
	}
	known := len(migrationNames())
	switch {
	case version == 0 && tables > 0:
		return fmt.Errorf("database %s: %w (it holds tables of another program)", path, ErrCorrupt)
	case version > known:
		return fmt.Errorf("database %s: %w (schema %d; this program knows up to %d); it was left untouched",
			path, ErrTooNew, version, known)
	case version == 1:
		var sessions int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sessions").Scan(&sessions); err != nil {
			return fmt.Errorf("database %s: %w", path, classify(err))
		}
		if sessions > 0 {
			return fmt.Errorf("database %s: %w: its %d sessions cannot be sealed after the fact; it was left untouched "+
				"(keep it offline, or delete it once its records are no longer needed)", path, ErrBeforeSealing, sessions)
		}
	}
	return nil
}

// classify maps SQLite's errors to the package's.
func classify(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return fmt.Errorf("%w: %v", ErrBusy, err)
		case sqlite3.ErrFull:
			return fmt.Errorf("%w: %v", ErrFull, err)
		}
	}
	return err
}

func escapePath(p string) string {
	return strings.ReplaceAll(url.PathEscape(p), "%2F", "/")
}

func migrationNames() []string {
	names, _ := fs.Glob(migrationFiles, "migrations/*.sql")
	sort.Strings(names)
	return names
}

// migrate applies the numbered migrations the database has not had, each in
// one transaction with PRAGMA user_version.
func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	names := migrationNames()
	counted := false
	if version > len(names) {
		return fmt.Errorf("%w (schema %d; this program knows up to %d)", ErrTooNew, version, len(names))
	}
	for i := version; i < len(names); i++ {
		body, err := migrationFiles.ReadFile(names[i])
		if err != nil {
			return err
		}
		if n, err := strconv.Atoi(strings.SplitN(filepath.Base(names[i]), "_", 2)[0]); err != nil || n != i+1 {
			return fmt.Errorf("migration %s is out of sequence", names[i])
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", names[i], err)
			}
			if i+1 == chainsMigration {
				var err error
				if counted, err = countLegacy(ctx, tx, s.now()); err != nil {
					return fmt.Errorf("migration %s: %w", names[i], err)
				}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return err
		}
	}
	if counted {
		if err := s.syncHead(ctx); err != nil {
			return fmt.Errorf("%w: %w", ErrAuditHead, err)
		}
	}
	return nil
}

// tx runs fn in one transaction and commits it.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return classify(err)
	}
	if err := tx.Commit(); err != nil {
		return classify(err)
	}
	s.noteWAL(ctx)
	return nil
}

// Close closes the database and releases the kiosk lock.
func (s *Store) Close() error {
	var err error
	if s.read != nil && s.read != s.db {
		err = s.read.Close()
	}
	if s.db != nil {
		err = errors.Join(err, s.db.Close())
	}
	if s.lock != nil {
		unlockFile(s.lock)
		s.lock.Close()
	}
	return err
}
