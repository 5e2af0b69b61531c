package sqlite

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"intakekiosk/vault"
)

// derivations counts the key derivations a store's sign-ins spend.
func derivations(s *Store) *int {
	n := new(int)
	unwrap, stretch := s.unwrap, s.stretch
	s.unwrap = func(w []byte, p string) (*vault.ClinicKey, error) { *n++; return unwrap(w, p) }
	s.stretch = func(x string, salt []byte, wf int) ([]byte, error) { *n++; return stretch(x, salt, wf) }
	return n
}

// A guesser learns nothing from a refusal: a wrong passphrase on a staff
// member's name, a name that is no account's and a disabled account are
// counted and locked out on one schedule, and every try of each, locked
// out or not, spends exactly one key derivation. The names typed are kept
// nowhere in clear, nor audited.
func TestNamesLookAlikeAtEveryTry(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	key := clinicKey(t, s)
	if err := s.AddStaff(ctx, "Dee Doe", Counselor, "another long one", key, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.DisableStaff(ctx, "Dee Doe", "Ada", t0); err != nil {
		t.Fatal(err)
	}
	count := derivations(s)
	type try struct{ name, pass string }
	guesses := []struct {
		what string
		// tries alternate the case of the name: an account's name is
		// one whatever its case, and so is one that is no account's
		typed [2]try
		why   error // the refusal before the lockout
	}{
		{"wrong passphrase", [2]try{{"Ada", "not the passphrase"}, {"ADA", "not the passphrase"}}, vault.ErrWrongPassphrase},
		{"unknown name", [2]try{{"Zed Nobody", "not the passphrase"}, {"zed nobody", "not the passphrase"}}, ErrNoStaff},
		{"disabled account", [2]try{{"Dee Doe", "another long one"}, {"dee doe", "another long one"}}, ErrDisabled},
		{"passphrase typed as the name", [2]try{{"correct horse battery", ""}, {"Correct Horse Battery", ""}}, ErrNoStaff},
	}
	for _, g := range guesses {
		t.Run(g.what, func(t *testing.T) {
			now := t0
			for i := 1; i <= 12; i++ {
				if i == 8 {
					now = t0.Add(5 * time.Minute) // the first lockout is over
				}
				typed := g.typed[i%2]
				*count = 0
				_, _, err := s.Unlock(ctx, typed.name, typed.pass, now)
				if *count != 1 {
					t.Errorf("try %d: %d key derivations, want 1", i, *count)
				}
				var le *LockedError
				switch {
				case i < 5 || i > 7 && i < 12:
					if !errors.Is(err, g.why) || errors.Is(err, ErrLockedOut) {
						t.Errorf("try %d: %v, want %v", i, err, g.why)
					}
				case i == 5:
					if !errors.Is(err, g.why) || !errors.As(err, &le) || !le.Until.Equal(t0.Add(5*time.Minute)) {
						t.Errorf("try 5: %v, want %v and locked until %v", err, g.why, t0.Add(5*time.Minute))
					}
				case i == 12: // the second lockout is twice as long
					if !errors.As(err, &le) || !le.Until.Equal(now.Add(10*time.Minute)) {
						t.Errorf("try 12: %v, want locked for 10 minutes", err)
					}
				default:
					if !errors.As(err, &le) || !le.Until.Equal(t0.Add(5*time.Minute)) || errors.Is(err, g.why) {
						t.Errorf("try %d: %v, want locked until %v", i, err, t0.Add(5*time.Minute))
					}
				}
			}
		})
	}
	// the right passphrase during a lockout opens nothing, at the same cost
	*count = 0
	if _, _, err := s.Unlock(ctx, "Ada", "correct horse battery", t0.Add(6*time.Minute)); !errors.Is(err, ErrLockedOut) || *count != 1 {
		t.Errorf("the right passphrase while locked: %v, %d derivations", err, *count)
	}

	log, err := s.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unknown := 0
	for _, e := range log {
		for _, typed := range []string{"zed nobody", "correct horse battery"} {
			if strings.Contains(strings.ToLower(e.Actor+e.Target+e.Detail), typed) {
				t.Errorf("audited as typed: %+v", e)
			}
		}
		if e.Actor == "(unknown name)" {
			unknown++
		}
	}
	if unknown != 24 {
		t.Errorf("%d failed sign-ins of unknown names on record, want 24", unknown)
	}
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(path + "-wal")
	data = append(data, wal...)
	for _, typed := range []string{"Zed Nobody", "zed nobody", "correct horse battery", "Correct Horse Battery"} {
		if bytes.Contains(data, []byte(typed)) {
			t.Errorf("%q is on disk in clear", typed)
		}
	}
}

// foldName folds exactly where strings.EqualFold matches.
func TestFoldName(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Begoña Ruiz", "BEGOÑA RUIZ"}, {"Kelvin", "\u212aelvin"}, {"straße", "STRASSE"}, {"Ada", "Adb"}, {"ſam", "SAM"},
	} {
		if got, want := foldName(tc.a) == foldName(tc.b), strings.EqualFold(tc.a, tc.b); got != want {
			t.Errorf("fold %q, %q alike = %v; EqualFold says %v", tc.a, tc.b, got, want)
		}
	}
}
