package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

// testWorkFactor keeps the tests quick; WorkFactor is measured by
// BenchmarkUnwrap.
const testWorkFactor = 10

func mustKey(t testing.TB) *ClinicKey {
	t.Helper()
	k, err := NewClinicKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSessionRoundTrip(t *testing.T) {
	clinic, main := mustKey(t), mustKey(t)
	to, err := ParseRecipients(clinic.PublicKey(), main.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	sk, sealedKey, err := NewSessionKey(rand.Reader, to)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"identity":{"first":"José","last":"Núñez"}}`)
	sealed, err := sk.Seal("s1", plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("Núñez")) {
		t.Fatal("plaintext visible in the sealed payload")
	}
	// both recipients open the session key, and it opens the payload
	for name, k := range map[string]*ClinicKey{"clinic": clinic, "main clinic": main} {
		opened, err := k.OpenSessionKey(rand.Reader, sealedKey)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := opened.Open("s1", sealed)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%s: open = %q, %v", name, got, err)
		}
	}
}

func TestTamperingIsDetected(t *testing.T) {
	clinic := mustKey(t)
	to, _ := ParseRecipients(clinic.PublicKey())
	sk, sealedKey, _ := NewSessionKey(rand.Reader, to)
	sealed, _ := sk.Seal("s1", []byte("answer"))
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)-1] ^= 1
	tests := []struct {
		name    string
		session string
		data    []byte
	}{
		{"changed byte", "s1", flipped},
		{"moved to another session", "s2", sealed},
		{"cut short", "s1", sealed[:10]},
		{"empty", "s1", nil},
	}
	for _, tt := range tests {
		if _, err := sk.Open(tt.session, tt.data); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: err = %v, want ErrDamaged", tt.name, err)
		}
	}
	if _, err := mustKey(t).OpenSessionKey(rand.Reader, sealedKey); !errors.Is(err, ErrNotForThisKey) {
		t.Errorf("another clinic's key: err = %v, want ErrNotForThisKey", err)
	}
	badKey := bytes.Clone(sealedKey)
	badKey[len(badKey)-3] ^= 1
	if _, err := clinic.OpenSessionKey(rand.Reader, badKey); err == nil {
		t.Error("a changed sealed key opened")
	}
}

func TestWrapUnwrap(t *testing.T) {
	k := mustKey(t)
	wrapped, err := k.Wrap("correct horse battery", testWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(wrapped, []byte(k.RecoveryKey())) {
		t.Fatal("private key visible in the wrapped key")
	}
	got, err := Unwrap(wrapped, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if got.PublicKey() != k.PublicKey() {
		t.Error("unwrapped a different key")
	}
	if _, err := Unwrap(wrapped, "correct horse batterY"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: err = %v", err)
	}
}

// Stretch costs what a wrapped key's work factor says, and gives the same
// bytes for the same secret, salt and work factor only.
func TestStretchAndWorkFactorOf(t *testing.T) {
	wrapped, err := mustKey(t).Wrap("correct horse battery", testWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := WorkFactorOf(wrapped); err != nil || n != testWorkFactor {
		t.Errorf("WorkFactorOf = %d, %v; want %d", n, err, testWorkFactor)
	}
	if _, err := WorkFactorOf([]byte("age-encryption.org/v1\n--- x\n")); !errors.Is(err, ErrDamaged) {
		t.Errorf("WorkFactorOf a header without scrypt: %v", err)
	}
	salt := []byte("0123456789abcdef")
	a, err := Stretch("Maria Lopez", salt, testWorkFactor)
	if err != nil || len(a) != 32 {
		t.Fatalf("Stretch: %x, %v", a, err)
	}
	for _, tc := range []struct {
		secret string
		salt   []byte
		wf     int
		same   bool
	}{
		{"Maria Lopez", salt, testWorkFactor, true},
		{"Maria Lopes", salt, testWorkFactor, false},
		{"Maria Lopez", []byte("another salt...."), testWorkFactor, false},
		{"Maria Lopez", salt, testWorkFactor + 1, false},
	} {
		b, err := Stretch(tc.secret, tc.salt, tc.wf)
		if err != nil || bytes.Equal(a, b) != tc.same {
			t.Errorf("Stretch(%q, %q, %d) equal = %v, %v; want %v", tc.secret, tc.salt, tc.wf, bytes.Equal(a, b), err, tc.same)
		}
	}
	if _, err := Stretch("x", salt, 0); err == nil {
		t.Error("work factor 0 accepted")
	}
}

func TestRecoveryKey(t *testing.T) {
	k := mustKey(t)
	grouped := k.RecoveryKey()[:16] + "\n" + k.RecoveryKey()[16:20] + " " + k.RecoveryKey()[20:]
	back, err := ParseRecoveryKey("  " + grouped + "\n")
	if err != nil || back.PublicKey() != k.PublicKey() {
		t.Fatalf("recovery key round trip: %v", err)
	}
	if _, err := ParseRecoveryKey("AGE-SECRET-KEY-1NOTAKEY"); err == nil {
		t.Error("a malformed recovery key parsed")
	}
	if _, err := ParseRecipients("age1notakey"); err == nil {
		t.Error("a malformed public key parsed")
	}
	if _, err := ParseRecipients(); err == nil {
		t.Error("no recipients accepted")
	}
}

// BenchmarkSeal is the sealing cost added to each answer's commit (target:
// under 0.2 ms).
func BenchmarkSeal(b *testing.B) {
	to, _ := ParseRecipients(mustKey(b).PublicKey())
	sk, _, _ := NewSessionKey(rand.Reader, to)
	payload := []byte(`{"answer":{"instrument":"phq9","item":"4","choice":"more_than_half","at":"2026-11-25T14:30:00.000000000Z"}}`)
	for b.Loop() {
		if _, err := sk.Seal("0190c0de-0000-7000-8000-000000000001", payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewSessionKey is the cost of starting a session: a data key
// sealed to two clinics.
func BenchmarkNewSessionKey(b *testing.B) {
	to, _ := ParseRecipients(mustKey(b).PublicKey(), mustKey(b).PublicKey())
	for b.Loop() {
		if _, _, err := NewSessionKey(rand.Reader, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenSessionKey is the cost per session of reading it back
// after unlock.
func BenchmarkOpenSessionKey(b *testing.B) {
	k := mustKey(b)
	to, _ := ParseRecipients(k.PublicKey())
	_, sealed, _ := NewSessionKey(rand.Reader, to)
	for b.Loop() {
		if _, err := k.OpenSessionKey(rand.Reader, sealed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnwrap is one staff unlock, and so one passphrase guess, at
// WorkFactor (target 0.25 to 1 s).
func BenchmarkUnwrap(b *testing.B) {
	k := mustKey(b)
	wrapped, _ := k.Wrap("a long enough passphrase", WorkFactor)
	for b.Loop() {
		if _, err := Unwrap(wrapped, "a long enough passphrase"); err != nil {
			b.Fatal(err)
		}
	}
}
