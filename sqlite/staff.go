package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-sqlite3"

	"intakekiosk/fault"
	"intakekiosk/vault"
	"slices"
)

// Role is what a staff member may do: admins also manage staff accounts,
// settings and purges.
type Role string

// Staff roles.
const (
	Admin     Role = "admin"
	Counselor Role = "counselor"
)

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Admin, Counselor:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (admin or counselor)", s)
}

// Unlock lockout: after maxFailures wrong passphrases in a row an account
// is locked for lockoutBase, doubling with each further lockout.
const (
	maxFailures   = 5
	lockoutBase   = 5 * time.Minute
	minPassphrase = 10
)

// Errors of setup, staff accounts and unlocking.
var (
	ErrNotSetUp       error = fault.E(fault.NotFound, "the kiosk is not set up: no clinic key (create the first admin: kioskctl init --admin NAME, or the kiosk's setup screen)")
	ErrAlreadySetUp   error = fault.E(fault.Exists, "the kiosk is already set up")
	ErrWeakPassphrase       = fmt.Errorf("a passphrase needs at least %d characters", minPassphrase)
	ErrNoStaff        error = fault.E(fault.NotFound, "no such staff member")
	// ErrNameTaken: a staff name is taken, or one that differs from it
	// only in case.
	ErrNameTaken error = fault.E(fault.Exists, "the name is taken")
	ErrDisabled  error = fault.E(fault.Permission, "this staff account is disabled")
	ErrLockedOut error = fault.E(fault.Permission, "too many wrong passphrases: this account is locked")
	ErrLastAdmin error = fault.E(fault.Invalid, "this is the last active administrator: add another admin first")
	ErrBadName   error = fault.E(fault.Invalid, "a staff name has 1 to 40 letters, digits, spaces, dots, hyphens or apostrophes")
)

// LockedError says until when an account is locked; it matches
// ErrLockedOut.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return fmt.Sprintf("%v until %s", ErrLockedOut, e.Until.Local().Format("15:04:05"))
}

// Unwrap makes errors.Is(err, ErrLockedOut) hold, and gives its kind.
func (e *LockedError) Unwrap() error { return ErrLockedOut }

// Staff is one staff account, without its wrapped key.
type Staff struct {
	Name        string
	Role        Role
	Created     time.Time
	Disabled    bool
	LockedUntil time.Time // zero when not locked
}

// checkName checks a staff name.
func checkName(name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > 40 || strings.TrimSpace(name) != name {
		return ErrBadName
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" .-'", r) {
			return ErrBadName
		}
	}
	return nil
}

func checkPassphrase(p string) error {
	if utf8.RuneCountInString(p) < minPassphrase {
		return ErrWeakPassphrase
	}
	return nil
}

// loadRecipients reads the public keys sessions are sealed to.
func (s *Store) loadRecipients(ctx context.Context) error {
	keys, err := s.Recipients(ctx)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		s.recipients = nil
		return nil
	}
	r, err := vault.ParseRecipients(keys...)
	if err != nil {
		return fmt.Errorf("clinic keys: %w", err)
	}
	s.recipients = r
	return nil
}

// IsSetUp reports whether the kiosk has its clinic key.
func (s *Store) IsSetUp() bool { return s.recipients != nil }

// SetUp makes the clinic key pair and the first admin account, whose
// passphrase wraps the private key. extra are other clinics' public keys
// that sessions are also sealed to (a satellite site seals to the main
// clinic). It returns the recovery key, to show once.
func (s *Store) SetUp(ctx context.Context, admin, passphrase string, now time.Time, extra ...string) (string, error) {
	if s.IsSetUp() {
		return "", ErrAlreadySetUp
	}
	if err := checkName(admin); err != nil {
		return "", err
	}
	if err := checkPassphrase(passphrase); err != nil {
		return "", err
	}
	if len(extra) > 0 {
		if _, err := vault.ParseRecipients(extra...); err != nil {
			return "", err
		}
	}
	key, err := vault.NewClinicKey()
	if err != nil {
		return "", err
	}
	wrapped, err := key.Wrap(passphrase, s.workFactor)
	if err != nil {
		return "", err
	}
	err = s.auditTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM clinic_keys").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadySetUp
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO clinic_keys (public_key, label, added) VALUES (?, 'this clinic', ?)",
			key.PublicKey(), ts(now)); err != nil {
			return err
		}
		for _, e := range extra {
			if _, err := tx.ExecContext(ctx, "INSERT INTO clinic_keys (public_key, label, added) VALUES (?, 'main clinic', ?)",
				strings.TrimSpace(e), ts(now)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO staff (name, role, wrapped_key, created) VALUES (?, ?, ?, ?)",
			admin, Admin, wrapped, ts(now)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: now, Actor: admin, Action: ActSetUp, Target: key.PublicKey(),
			Detail: fmt.Sprintf("clinic key made; %d other clinic keys", len(extra))})
	})
	if err != nil {
		return "", fmt.Errorf("set up: %w", err)
	}
	// committed: from here the recovery key must reach the admin
	if r, err := vault.ParseRecipients(append([]string{key.PublicKey()}, extra...)...); err == nil {
		s.recipients = r
	}
	return key.RecoveryKey(), nil
}

// AddStaff adds an account whose passphrase wraps the clinic key, which
// the acting admin (by) has unlocked.
func (s *Store) AddStaff(ctx context.Context, name string, role Role, passphrase string, key *vault.ClinicKey, by string, now time.Time) error {
	if err := checkName(name); err != nil {
		return err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	if err := checkPassphrase(passphrase); err != nil {
		return err
	}
	wrapped, err := key.Wrap(passphrase, s.workFactor)
	if err != nil {
		return err
	}
	err = s.auditTx(ctx, func(tx *sql.Tx) error {
		taken, err := namesLike(ctx, tx, name)
		if err != nil {
			return err
		}
		if len(taken) > 0 {
			return ErrNameTaken
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO staff (name, role, wrapped_key, created) VALUES (?, ?, ?, ?)",
			name, role, wrapped, ts(now)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: now, Actor: by, Action: ActStaffAdd, Target: name, Detail: string(role)})
	})
	var se sqlite3.Error
	if errors.Is(err, ErrNameTaken) || errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		return fmt.Errorf("add staff %s: %w", name, ErrNameTaken)
	}
	if err != nil {
		return fmt.Errorf("add staff %s: %w", name, err)
	}
	return nil
}

// StaffList lists the staff accounts by name.
func (s *Store) StaffList(ctx context.Context) ([]Staff, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, role, created, disabled IS NOT NULL, locked_until FROM staff ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", classify(err))
	}
	defer rows.Close()
	var out []Staff
	for rows.Next() {
		var st Staff
		var created, locked sql.NullString
		if err := rows.Scan(&st.Name, &st.Role, &created, &st.Disabled, &locked); err != nil {
			return nil, fmt.Errorf("list staff: %w", err)
		}
		if st.Created, err = parseTS(created); err == nil {
			st.LockedUntil, err = parseTS(locked)
		}
		if err != nil {
			return nil, fmt.Errorf("list staff: %w", err)
		}
		out = append(out, st)
	}
	return out, classify(rows.Err())
}

// DisableStaff disables an account and deletes its wrapped key, so its
// passphrase opens nothing any more; by names the acting admin.
func (s *Store) DisableStaff(ctx context.Context, name, by string, now time.Time) error {
	name = s.storedName(ctx, name)
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE staff SET wrapped_key = NULL, disabled = ? WHERE name = ? AND disabled IS NULL", ts(now), name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNoStaff
		}
		var admins int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM staff WHERE role = ? AND disabled IS NULL", Admin).Scan(&admins); err != nil {
			return err
		}
		if admins == 0 {
			return ErrLastAdmin
		}
		return appendAudit(ctx, tx, Entry{At: now, Actor: by, Action: ActStaffDisable, Target: name})
	})
	if err != nil {
		return fmt.Errorf("disable %s: %w", name, err)
	}
	return nil
}

// Recover opens the clinic key with the recovery key printed at setup
// (when every admin has forgotten their passphrase) and records it in the
// audit log. The key must be this clinic's.
func (s *Store) Recover(ctx context.Context, recoveryKey, by string, now time.Time) (*vault.ClinicKey, error) {
	key, err := vault.ParseRecoveryKey(recoveryKey)
	if err != nil {
		return nil, err
	}
	own, err := s.ClinicPublicKey(ctx)
	if err != nil {
		return nil, err
	}
	if key.PublicKey() != own {
		return nil, fmt.Errorf("recovery key: %w", vault.ErrNotForThisKey)
	}
	if err := s.Audit(ctx, Entry{At: now, Actor: by, Action: ActRecover}); err != nil {
		return nil, err
	}
	return key, nil
}

// Unlock opens the clinic key with a staff member's passphrase. Wrong
// passphrases are counted: the fifth in a row locks the account for five
// minutes, each later lockout twice as long; a good unlock resets both.
//
// What is refused does not tell a guesser whether the name is a staff
// member's: a name that is no account's (ErrNoStaff) and a disabled
// account (ErrDisabled) are counted and locked out on the same schedule
// as a wrong passphrase, and every attempt, locked out or not, spends one
// key derivation of the same cost (the unwrap, or the name's stretched
// hash). A name that is no account's is counted under that hash only
// (table unknown_names) and audited as "(unknown name)", never as typed:
// it may be a passphrase typed into the name field.
//
// The name is matched without regard to case ("demo" signs in as "Demo"):
// the name as stored wins when it is typed exactly, else the one stored
// name that differs only in case; two such names (a database from before
// names were unique without regard to case) match only as typed.
func (s *Store) Unlock(ctx context.Context, name, passphrase string, now time.Time) (*vault.ClinicKey, Staff, error) {
	stored := s.storedName(ctx, name)
	var st Staff
	var wrapped []byte
	var created, locked, disabled sql.NullString
	err := s.db.QueryRowContext(ctx, "SELECT name, role, created, wrapped_key, locked_until, disabled FROM staff WHERE name = ?", stored).
		Scan(&st.Name, &st.Role, &created, &wrapped, &locked, &disabled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		hash, err := s.nameHash(ctx, name)
		if err != nil {
			return nil, Staff{}, fmt.Errorf("unlock: %w", err)
		}
		return nil, Staff{}, s.refuse(ctx, unknownName(hash), "", ErrNoStaff, now)
	case err != nil:
		return nil, st, fmt.Errorf("unlock: %w", classify(err))
	}
	account := staffName(stored)
	if until, _ := parseTS(locked); now.Before(until) {
		s.nameHash(ctx, name) // the derivation an unknown name spends
		return nil, st, s.refuse(ctx, account, "", vault.ErrWrongPassphrase, now)
	}
	if disabled.Valid || wrapped == nil {
		s.nameHash(ctx, name)
		return nil, st, s.refuse(ctx, account, "account disabled, ", ErrDisabled, now)
	}
	key, err := s.unwrap(wrapped, passphrase)
	if errors.Is(err, vault.ErrWrongPassphrase) {
		return nil, st, s.refuse(ctx, account, "", vault.ErrWrongPassphrase, now)
	}
	if err != nil {
		return nil, st, fmt.Errorf("unlock: %w", err)
	}
	if err := s.auditTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE staff SET failures = 0, lockouts = 0, locked_until = NULL WHERE name = ?", stored); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: now, Actor: stored, Action: ActUnlock})
	}); err != nil {
		return nil, st, fmt.Errorf("unlock: %w", err)
	}
	st.Created, _ = parseTS(created)
	return key, st, nil
}

// counter is where a name's wrong sign-ins in a row are counted: a staff
// account's row, or a row keyed by the stretched hash of a name that is
// no account's.
type counter struct {
	table, column string // the table and its key column
	key           any
	actor         string // who the audit entry names
}

func staffName(name string) counter {
	return counter{table: "staff", column: "name", key: name, actor: name}
}

func unknownName(hash []byte) counter {
	return counter{table: "unknown_names", column: "name_hash", key: hash, actor: "(unknown name)"}
}

// refuse puts a refused sign-in on record and counts it, inside one
// write transaction (attempts made at the same time, by the kiosk and
// kioskctl, are all counted). While the name is locked out it is refused
// as locked and not counted; otherwise the fifth failure in a row locks it
// (why joined with a LockedError), each lockout twice the one before.
// note opens the audit detail ("account disabled, ").
func (s *Store) refuse(ctx context.Context, c counter, note string, why error, now time.Time) error {
	var out error
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		if c.table == "unknown_names" {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO unknown_names (name_hash) VALUES (?)", c.key); err != nil {
				return err
			}
		}
		var failures, lockouts int
		var locked sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT failures, lockouts, locked_until FROM "+c.table+" WHERE "+c.column+" = ?", c.key).
			Scan(&failures, &lockouts, &locked); err != nil {
			return err
		}
		if until, _ := parseTS(locked); now.Before(until) {
			out = &LockedError{Until: until}
			return appendAudit(ctx, tx, Entry{At: now, Actor: c.actor, Action: ActUnlockFailed, Detail: note + "while locked"})
		}
		failures++
		var until any
		detail := fmt.Sprintf("%d in a row", failures)
		out = why
		if failures >= maxFailures {
			lockedUntil := now.Add(lockoutBase << lockouts)
			until, detail = ts(lockedUntil), "locked until "+ts(lockedUntil)
			failures, lockouts = 0, lockouts+1
			out = fmt.Errorf("%w; %w", why, &LockedError{Until: lockedUntil})
		}
		if _, err := tx.ExecContext(ctx, "UPDATE "+c.table+" SET failures = ?, lockouts = ?, locked_until = coalesce(?, locked_until) WHERE "+c.column+" = ?",
			failures, lockouts, until, c.key); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: now, Actor: c.actor, Action: ActUnlockFailed, Detail: note + detail})
	})
	if err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	return out
}

// nameHash is a typed staff name's stretched hash: scrypt of the name
// folded to one case, salted with this database's name key, at the work
// factor staff passphrases are wrapped with. It is the key derivation
// every sign-in attempt spends, whether or not the name is an account's.
func (s *Store) nameHash(ctx context.Context, typed string) ([]byte, error) {
	key, workFactor, err := s.nameKey(ctx)
	if err != nil {
		return nil, err
	}
	return s.stretch(foldName(typed), key, workFactor)
}

// nameKey is the salt of the name hash and its work factor, made at first
// use: 32 random bytes, and the work factor of the oldest wrapped key (so
// that an unknown name costs what a staff member's unwrap does).
func (s *Store) nameKey(ctx context.Context) ([]byte, int, error) {
	read := func() ([]byte, int, error) {
		var key []byte
		var wf int
		err := s.db.QueryRowContext(ctx, "SELECT name_key, work_factor FROM name_guard WHERE one = 1").Scan(&key, &wf)
		return key, wf, err
	}
	key, wf, err := read()
	if !errors.Is(err, sql.ErrNoRows) {
		return key, wf, classify(err)
	}
	wf = s.workFactor
	var wrapped []byte
	if err := s.db.QueryRowContext(ctx, "SELECT wrapped_key FROM staff WHERE wrapped_key IS NOT NULL ORDER BY created, name LIMIT 1").Scan(&wrapped); err == nil {
		if n, err := vault.WorkFactorOf(wrapped); err == nil {
			wf = n
		}
	}
	key = make([]byte, 32)
	if _, err := io.ReadFull(s.rand, key); err != nil {
		return nil, 0, err
	}
	if err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO name_guard (one, name_key, work_factor) VALUES (1, ?, ?)", key, wf)
		return err
	}); err != nil {
		return nil, 0, err
	}
	// another writer may have made it first: read back the one kept
	key, wf, err = read()
	return key, wf, classify(err)
}

// foldName maps each letter of a name to one of its case forms (the
// least of its Unicode simple folding orbit), so that two names fold
// alike exactly when strings.EqualFold holds, as sign-in matches them.
func foldName(name string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, name)
}

// ClinicPublicKey returns this clinic's own public key ("age1..."), for a
// satellite site to seal to.
func (s *Store) ClinicPublicKey(ctx context.Context) (string, error) {
	var k string
	err := s.db.QueryRowContext(ctx, "SELECT public_key FROM clinic_keys WHERE label = 'this clinic'").Scan(&k)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotSetUp
	}
	if err != nil {
		return "", fmt.Errorf("clinic key: %w", classify(err))
	}
	return k, nil
}

// queryer is a database or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// namesLike lists the stored staff names equal to name without regard to
// case (Unicode case folding: the staff table is small).
func namesLike(ctx context.Context, q queryer, name string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM staff")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if strings.EqualFold(n, name) {
			out = append(out, n)
		}
	}
	return out, rows.Err()
}

// storedName is the stored staff name a typed one stands for: itself when
// stored so, else the one stored name that differs from it only in case;
// else (none, several, or the database unreadable) the name as typed,
// which then matches nothing or only itself.
func (s *Store) storedName(ctx context.Context, typed string) string {
	like, err := namesLike(ctx, s.db, typed)
	if err != nil || len(like) == 0 || slices.Contains(like, typed) {
		return typed
	}
	if len(like) == 1 {
		return like[0]
	}
	return typed
}

// CaseTwins groups the staff names that differ only in case, folded as
// sign-in folds them (a database
// from before names were unique without regard to case), for an
// administrator to rename or disable all but one.
func CaseTwins(staff []Staff) [][]string {
	var out [][]string
	grouped := make([]bool, len(staff))
	for i, a := range staff {
		if grouped[i] {
			continue
		}
		twins := []string{a.Name}
		for j := i + 1; j < len(staff); j++ {
			if !grouped[j] && strings.EqualFold(a.Name, staff[j].Name) {
				twins, grouped[j] = append(twins, staff[j].Name), true
			}
		}
		if len(twins) > 1 {
			out = append(out, twins)
		}
	}
	return out
}
