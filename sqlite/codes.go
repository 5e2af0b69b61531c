package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// CodeAlphabet is the letters and digits of check-in codes: no 0/O, 1/I/L
// or U/V look-alikes, so a code read off a slip is typed right.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLen is the length of a check-in code: 30^8, about 6.6e11 codes.
const CodeLen = 8

// Code hash parameters: argon2id with 19 MiB and two passes (OWASP's
// recommendation), about 40 ms here. Trying every code of a stolen disk
// would take thousands of CPU-years.
const (
	codeTime    = 2
	codeMemory  = 19 * 1024 // KiB
	codeThreads = 1
)

// Wrong codes in a row before the kiosk slows down, and the waits.
const (
	codeFreeTries = 3
	codeFirstWait = 5 * time.Second
	codeMaxWait   = 5 * time.Minute
	// codeForget is how long after the last wrong code (or the end of
	// the last wait) the count of wrong codes starts again from zero:
	// a patient's typo is not held against the next patient.
	codeForget = 10 * time.Minute
)

// ErrCodeNotFound: no patient has that code.
var ErrCodeNotFound = errors.New("check-in code not found")

// ErrCodeFormat: the text is not a check-in code.
var ErrCodeFormat = fmt.Errorf("a check-in code is %d letters and digits", CodeLen)

// CodeWaitError says too many wrong codes came in a row: the next try is
// taken from Until.
type CodeWaitError struct{ Until time.Time }

func (e *CodeWaitError) Error() string {
	return "too many wrong check-in codes: try again at " + e.Until.Format(time.Kitchen)
}

// GroupCode writes a code (or the part typed so far, with placeholders)
// in groups of four characters, as the slip prints it: "K7QM 2XPA".
func GroupCode(code string) string {
	r := []rune(code)
	if len(r) <= 4 {
		return code
	}
	return string(r[:4]) + " " + string(r[4:])
}

// NormalizeCode reads a typed code: capitals, spaces and dashes dropped;
// false when it is not CodeLen characters of CodeAlphabet.
func NormalizeCode(s string) (string, bool) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
	if len(s) != CodeLen {
		return "", false
	}
	for _, r := range s {
		if !strings.ContainsRune(CodeAlphabet, r) {
			return "", false
		}
	}
	return s, true
}

// newCode draws a code from rand, each character uniform over the
// alphabet (bytes above the largest multiple of its length are drawn
// again).
func newCode(rand io.Reader) (string, error) {
	const n = len(CodeAlphabet)
	limit := 256 - 256%n
	out := make([]byte, 0, CodeLen)
	buf := make([]byte, 16)
	for len(out) < CodeLen {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < CodeLen {
				out = append(out, CodeAlphabet[int(b)%n])
			}
		}
	}
	return string(out), nil
}

// hashCode is the code's keyed, memory-hard hash.
func hashCode(code string, key []byte) []byte {
	return argon2.IDKey([]byte(code), key, codeTime, codeMemory, codeThreads, 32)
}

// codeKey returns the key of the code hash, made at first use.
func (s *Store) codeKey(ctx context.Context) ([]byte, error) {
	var key []byte
	err := s.db.QueryRowContext(ctx, "SELECT code_key FROM code_guard WHERE one = 1").Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, classify(err)
	}
	key = make([]byte, 32)
	if _, err := io.ReadFull(s.rand, key); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO code_guard (one, code_key) VALUES (1, ?)", key)
		return err
	})
	if err != nil {
		return nil, err
	}
	// another writer may have made it first: read back the one kept
	err = s.db.QueryRowContext(ctx, "SELECT code_key FROM code_guard WHERE one = 1").Scan(&key)
	return key, classify(err)
}

// freshCode draws a code no patient has.
func (s *Store) freshCode(ctx context.Context, key []byte) (code string, hash []byte, err error) {
	for range 10 {
		if code, err = newCode(s.rand); err != nil {
			return "", nil, err
		}
		hash = hashCode(code, key)
		var one int
		err = s.db.QueryRowContext(ctx, "SELECT 1 FROM patients WHERE code_hash = ?", hash).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return code, hash, nil
		}
		if err != nil {
			return "", nil, classify(err)
		}
	}
	return "", nil, errors.New("could not draw an unused code")
}

// LookupCode finds the patient of a check-in code for a staff member
// who has unlocked (kioskctl report --patient), by the code alone: as
// slow as the code hash, but outside the kiosk's count of wrong codes, so
// a counselor's typo neither makes the next patient wait nor is made to
// wait by one.
func (s *Store) LookupCode(ctx context.Context, typed string) (string, error) {
	code, ok := NormalizeCode(typed)
	if !ok {
		return "", ErrCodeFormat
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return "", fmt.Errorf("look up code: %w", err)
	}
	id, err := s.findCode(ctx, code, key)
	if err != nil {
		return "", fmt.Errorf("look up code: %w", err)
	}
	return id, nil
}

// findCode is the patient whose stored hash is the code's, or
// ErrCodeNotFound.
func (s *Store) findCode(ctx context.Context, code string, key []byte) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, "SELECT id FROM patients WHERE code_hash = ?", hashCode(code, key)).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", ErrCodeNotFound
	case err != nil:
		return "", classify(err)
	}
	return id, nil
}
