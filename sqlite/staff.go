package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// Is makes errors.Is(err, ErrLockedOut) hold.
func (e *LockedError) Is(target error) bool { return target == ErrLockedOut }

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
// The name is matched without regard to case ("demo" signs in as "Demo"):
// the name as stored wins when it is typed exactly, else the one stored
// name that differs only in case; two such names (a database from before
// names were unique without regard to case) match only as typed.
func (s *Store) Unlock(ctx context.Context, name, passphrase string, now time.Time) (*vault.ClinicKey, Staff, error) {
	name = s.storedName(ctx, name)
	var st Staff
	var wrapped []byte
	var created, locked, disabled sql.NullString
	err := s.db.QueryRowContext(ctx, "SELECT name, role, created, wrapped_key, locked_until, disabled FROM staff WHERE name = ?", name).
		Scan(&st.Name, &st.Role, &created, &wrapped, &locked, &disabled)
	refused := func(actor, detail string, err error) (*vault.ClinicKey, Staff, error) {
		if aerr := s.Audit(ctx, Entry{At: now, Actor: actor, Action: ActUnlockFailed, Detail: detail}); aerr != nil {
			return nil, st, aerr
		}
		return nil, st, err
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// Cost the same as a real attempt, so the time taken does not
		// tell which names exist. What was typed is not logged: it may
		// be a passphrase typed into the name field.
		s.decoyUnwrap(ctx, passphrase)
		return refused("(unknown name)", "", ErrNoStaff)
	case err != nil:
		return nil, st, fmt.Errorf("unlock: %w", classify(err))
	case disabled.Valid || wrapped == nil:
		return refused(name, "account disabled", ErrDisabled)
	}
	if until, _ := parseTS(locked); now.Before(until) {
		return refused(name, "while locked", &LockedError{Until: until})
	}
	key, err := vault.Unwrap(wrapped, passphrase)
	if errors.Is(err, vault.ErrWrongPassphrase) {
		var lockedUntil time.Time
		// counted inside one write transaction, so that attempts made at
		// the same time (the kiosk and kioskctl) are all counted
		uerr := s.auditTx(ctx, func(tx *sql.Tx) error {
			var failures, lockouts int
			if err := tx.QueryRowContext(ctx, "SELECT failures, lockouts FROM staff WHERE name = ?", name).Scan(&failures, &lockouts); err != nil {
				return err
			}
			failures++
			var until any
			detail := fmt.Sprintf("%d in a row", failures)
			if failures >= maxFailures {
				lockedUntil = now.Add(lockoutBase << lockouts)
				until, detail = ts(lockedUntil), "locked until "+ts(lockedUntil)
				failures, lockouts = 0, lockouts+1
			}
			if _, err := tx.ExecContext(ctx, "UPDATE staff SET failures = ?, lockouts = ?, locked_until = coalesce(?, locked_until) WHERE name = ?",
				failures, lockouts, until, name); err != nil {
				return err
			}
			return appendAudit(ctx, tx, Entry{At: now, Actor: name, Action: ActUnlockFailed, Detail: detail})
		})
		if uerr != nil {
			return nil, st, fmt.Errorf("unlock: %w", uerr)
		}
		if !lockedUntil.IsZero() {
			return nil, st, fmt.Errorf("%w; %w", vault.ErrWrongPassphrase, &LockedError{Until: lockedUntil})
		}
		return nil, st, vault.ErrWrongPassphrase
	}
	if err != nil {
		return nil, st, fmt.Errorf("unlock: %w", err)
	}
	if err := s.auditTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE staff SET failures = 0, lockouts = 0, locked_until = NULL WHERE name = ?", name); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: now, Actor: name, Action: ActUnlock})
	}); err != nil {
		return nil, st, fmt.Errorf("unlock: %w", err)
	}
	st.Created, _ = parseTS(created)
	return key, st, nil
}

// decoyUnwrap spends one real key derivation on an unknown name: it
// tries the passphrase on some account's wrapped key and ignores the
// result.
func (s *Store) decoyUnwrap(ctx context.Context, passphrase string) {
	var wrapped []byte
	if err := s.db.QueryRowContext(ctx, "SELECT wrapped_key FROM staff WHERE wrapped_key IS NOT NULL LIMIT 1").Scan(&wrapped); err == nil {
		vault.Unwrap(wrapped, passphrase)
	}
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
