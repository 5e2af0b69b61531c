package sqlite

import (
	"bytes"
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"intakekiosk/fault"
	"intakekiosk/trend"
	"intakekiosk/vault"
)

// The check-in hash: argon2id of the code and the date of birth together,
// keyed with the code key (code_guard.code_key, as the code hash is), the
// code hash's memory and one pass more (a date of birth adds only some
// 15 bits to the code: each guess at it should cost more), 64 bytes. The
// first 32 are stored (patients.birth_hash) and matched at the kiosk;
// the last 32 are the key of the patient's check-in box
// (patients.checkin_sealed), never stored.
const (
	checkinTime    = 3
	checkinMemory  = codeMemory
	checkinThreads = 1
	checkinLen     = 64
)

// checkinBoxLen is the length every check-in box's text is padded to, so
// a box with an end date and one without are the same size.
const checkinBoxLen = 64

// ErrCodeReissue: the code was issued before check-ins asked the date of
// birth (it has no check-in hash): staff must give the patient a new one.
var ErrCodeReissue error = fault.E(fault.Permission, "this check-in code was issued before check-ins asked the date of birth: a new code is needed")

// ErrPlanEnded: the patient's taper plan's check-ins are over (its last
// day has passed); the kiosk starts no check-in.
var ErrPlanEnded error = fault.E(fault.Closed, "the check-in plan has ended")

// ErrBirthFormat: a date of birth is not a date written YYYY-MM-DD.
var ErrBirthFormat error = fault.E(fault.Invalid, "a date of birth is written YYYY-MM-DD")

// checkinBox is what a check-in needs to know before it starts, sealed
// so that only the patient's code and date of birth open it.
type checkinBox struct {
	// Ends is the last day of the plan's check-ins, YYYY-MM-DD as the
	// plan gave it ("" for none).
	Ends string `json:"ends"`
}

// normalBirth checks a date of birth written YYYY-MM-DD.
func normalBirth(birth string) (string, error) {
	d, err := time.Parse(time.DateOnly, birth)
	if err != nil || d.Format(time.DateOnly) != birth {
		return "", ErrBirthFormat
	}
	return birth, nil
}

// hashCheckin is the check-in hash of a code and a date of birth.
func hashCheckin(code, birth string, key []byte) []byte {
	return argon2.IDKey([]byte(code+"\x00"+birth), key, checkinTime, checkinMemory, checkinThreads, checkinLen)
}

// checkinAD binds a patient's check-in box to the patient.
func checkinAD(patientID string) string { return "checkin:" + patientID }

// sealCheckin makes a code's check-in hash and box: the hash stored in
// clear, the box holding the plan's end (nil: no plan), sealed with the
// rest of the hash.
func (s *Store) sealCheckin(code, birth, patientID string, plan *trend.Plan, key []byte) (hash, box []byte, err error) {
	sum := hashCheckin(code, birth, key)
	defer clear(sum)
	var b checkinBox
	if plan != nil && !plan.Ends.IsZero() {
		b.Ends = plan.Ends.Format(time.DateOnly)
	}
	plain, err := json.Marshal(b)
	if err != nil {
		return nil, nil, err
	}
	plain = append(plain, bytes.Repeat([]byte(" "), checkinBoxLen-len(plain))...)
	k, err := vault.KeyFrom(s.rand, sum[32:])
	if err != nil {
		return nil, nil, err
	}
	if box, err = k.Seal(checkinAD(patientID), plain); err != nil {
		return nil, nil, err
	}
	return bytes.Clone(sum[:32]), box, nil
}

// openCheckin opens a patient's check-in box with the rest of a matching
// check-in hash.
func openCheckin(sum []byte, patientID string, box []byte) (checkinBox, error) {
	var b checkinBox
	k, err := vault.KeyFrom(nil, sum[32:])
	if err != nil {
		return b, err
	}
	plain, err := k.Open(checkinAD(patientID), box)
	if err != nil {
		return b, fmt.Errorf("the check-in box of patient %s: %w", patientID, err)
	}
	if err := json.Unmarshal(plain, &b); err != nil {
		return b, fmt.Errorf("the check-in box of patient %s: %w", patientID, vault.ErrDamaged)
	}
	return b, nil
}

// MatchCheckin finds the patient of a check-in code and a date of birth
// (YYYY-MM-DD) typed at the kiosk, as the kiosk does before a check-in:
// it needs no unlock and reads nothing about the patient but what the
// two open. A wrong code and a right code with a wrong date of birth are
// the same ErrCodeNotFound, counted the same and in the same time (both
// hashes are worked out every try). After codeFreeTries wrong tries in a
// row (kiosk-wide, kept across restarts) each further try must wait, 5 s
// doubling up to 5 min: a *CodeWaitError says until when. A match
// resets the count, and so does codeForget without a wrong try.
//
// A code issued before check-ins asked the date of birth is
// ErrCodeReissue (not counted: the date cannot be checked); a match
// whose taper plan's check-ins ended before today (in loc) is
// ErrPlanEnded.
func (s *Store) MatchCheckin(ctx context.Context, typed, birth string, now time.Time, loc *time.Location) (string, error) {
	code, ok := NormalizeCode(typed)
	if !ok {
		return "", ErrCodeFormat
	}
	if _, err := normalBirth(birth); err != nil {
		return "", err
	}
	// the key and the count in one read (the key is made at first use)
	var key []byte
	var failures int
	var waitUntil sql.NullString
	err := s.db.QueryRowContext(ctx, "SELECT code_key, failures, wait_until FROM code_guard WHERE one = 1").Scan(&key, &failures, &waitUntil)
	if errors.Is(err, sql.ErrNoRows) {
		key, err = s.codeKey(ctx)
	}
	if err != nil {
		return "", fmt.Errorf("match code: %w", classify(err))
	}
	counted := failures > 0 || waitUntil.Valid
	if until, err := parseTS(waitUntil); err == nil {
		if now.Before(until) {
			return "", &CodeWaitError{Until: until}
		}
		if now.Sub(until) > codeForget {
			failures = 0
		}
	}
	id, stored, box, err := s.findCheckin(ctx, code, key)
	sum := hashCheckin(code, birth, key)
	defer clear(sum)
	switch {
	case err == nil && stored == nil:
		return "", ErrCodeReissue
	case err == nil && subtle.ConstantTimeCompare(sum[:32], stored) == 1:
		if counted {
			err := s.tx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, "UPDATE code_guard SET failures = 0, wait_until = NULL WHERE one = 1")
				return err
			})
			if err != nil {
				return "", fmt.Errorf("match code: %w", err)
			}
		}
		b, err := openCheckin(sum, id, box)
		if err != nil {
			return "", fmt.Errorf("match code: %w", err)
		}
		if b.Ends != "" && strings.Compare(trend.Day(now, loc).Format(time.DateOnly), b.Ends) > 0 {
			return "", ErrPlanEnded
		}
		return id, nil
	case err != nil && !errors.Is(err, ErrCodeNotFound):
		return "", fmt.Errorf("match code: %w", err)
	}
	return "", s.wrongCode(ctx, failures, now)
}

// wrongCode counts a wrong try (the failures before it given) and
// returns ErrCodeNotFound, with the wait it brings when it brings one.
func (s *Store) wrongCode(ctx context.Context, failures int, now time.Time) error {
	failures++
	// wait_until is the end of the wait, or the time of a wrong code
	// that brings no wait yet: codeForget counts from it
	wait := now
	if failures >= codeFreeTries {
		d := codeFirstWait << min(failures-codeFreeTries, 10)
		wait = now.Add(min(d, codeMaxWait))
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE code_guard SET failures = ?, wait_until = ? WHERE one = 1", failures, ts(wait))
		return err
	})
	if err != nil {
		return fmt.Errorf("match code: %w", err)
	}
	if wait.After(now) {
		return fmt.Errorf("%w (%w)", ErrCodeNotFound, &CodeWaitError{Until: wait})
	}
	return ErrCodeNotFound
}

// findCheckin is the patient whose stored hash is the code's, with its
// check-in hash and box (nil for a code issued before them), or
// ErrCodeNotFound.
func (s *Store) findCheckin(ctx context.Context, code string, key []byte) (id string, birthHash, box []byte, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT id, birth_hash, checkin_sealed FROM patients WHERE code_hash = ?", hashCode(code, key)).
		Scan(&id, &birthHash, &box)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil, nil, ErrCodeNotFound
	case err != nil:
		return "", nil, nil, classify(err)
	}
	return id, birthHash, box, nil
}

// NeedsReissue tells whether a patient's code in force was issued before
// check-ins asked the date of birth (it has no check-in hash): the kiosk
// refuses it, and staff give a new one.
func (s *Store) NeedsReissue(ctx context.Context, patientID string) (bool, error) {
	var none bool
	err := s.read.QueryRowContext(ctx, "SELECT birth_hash IS NULL FROM patients WHERE id = ?", patientID).Scan(&none)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, ErrNoPatient
	case err != nil:
		return false, fmt.Errorf("read patient %s: %w", patientID, classify(err))
	}
	return none, nil
}
