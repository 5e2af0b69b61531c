// Package vault seals what patients enter so that the kiosk alone cannot
// read it back (DESIGN.md decision 3).
//
// A clinic key pair is made at setup. Each session gets a fresh data key;
// the data key is sealed once to the clinic's public key (and to a main
// clinic's, for a satellite site) with filippo.io/age, and every identity
// field and answer of the session is encrypted with it
// (XChaCha20-Poly1305 from golang.org/x/crypto, the session id bound as
// associated data). The clinic's private key exists on disk only wrapped
// under each staff member's passphrase (age's scrypt recipient, a
// memory-hard KDF). The package writes no cipher code of its own.
package vault

import (
	"bytes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/scrypt"
)

// Errors to test with errors.Is.
var (
	// ErrWrongPassphrase: the passphrase does not open the wrapped key.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrNotForThisKey: the data was not sealed to this clinic key.
	ErrNotForThisKey = errors.New("not sealed to this clinic's key")
	// ErrDamaged: sealed data was changed or cut.
	ErrDamaged = errors.New("sealed data is damaged")
)

// ClinicKey is the clinic's private key, in memory only while a staff
// member is unlocked.
type ClinicKey struct {
	id *age.X25519Identity
}

// NewClinicKey makes a new clinic key pair (age takes its randomness from
// crypto/rand).
func NewClinicKey() (*ClinicKey, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("new clinic key: %w", err)
	}
	return &ClinicKey{id: id}, nil
}

// PublicKey returns the clinic's public key ("age1..."), which the kiosk
// keeps in clear and seals to.
func (k *ClinicKey) PublicKey() string { return k.id.Recipient().String() }

// RecoveryKey returns the private key as text ("AGE-SECRET-KEY-1..."), to
// print once at setup and keep in a safe: the only way back in when every
// admin has forgotten their passphrase.
func (k *ClinicKey) RecoveryKey() string { return k.id.String() }

// ParseRecoveryKey reads a printed recovery key; spaces and line breaks
// (the kiosk shows the key in groups) are ignored.
func ParseRecoveryKey(s string) (*ClinicKey, error) {
	id, err := age.ParseX25519Identity(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, fmt.Errorf("recovery key: %w", err)
	}
	return &ClinicKey{id: id}, nil
}

// WorkFactor is the scrypt work factor (log2 N) that wraps clinic keys:
// about 0.29 s and 128 MiB per guess on a 2-core Xeon (BenchmarkUnwrap),
// within the 0.25-1 s a staff unlock may take.
const WorkFactor = 17

// Wrap seals the clinic key under a staff member's passphrase with a
// memory-hard KDF (scrypt at logN = workFactor).
func (k *ClinicKey) Wrap(passphrase string, workFactor int) ([]byte, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, fmt.Errorf("wrap clinic key: %w", err)
	}
	r.SetWorkFactor(workFactor)
	return seal([]age.Recipient{r}, []byte(k.id.String()))
}

// Unwrap opens a wrapped clinic key with a passphrase.
func Unwrap(wrapped []byte, passphrase string) (*ClinicKey, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, fmt.Errorf("unwrap clinic key: %w", err)
	}
	plain, err := open(id, wrapped)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return nil, ErrWrongPassphrase
	}
	if err != nil {
		return nil, fmt.Errorf("unwrap clinic key: %w", err)
	}
	return ParseRecoveryKey(string(plain))
}

// Stretch spends on a secret the key derivation one passphrase guess
// costs: scrypt at log2 N = workFactor with age's parameters (r 8, p 1),
// as Unwrap spends on a key wrapped at that work factor. It gives 32
// bytes that only the same secret, salt and work factor give again.
func Stretch(secret string, salt []byte, workFactor int) ([]byte, error) {
	if workFactor < 1 || workFactor > 30 {
		return nil, fmt.Errorf("stretch: work factor %d out of range", workFactor)
	}
	return scrypt.Key([]byte(secret), salt, 1<<workFactor, 8, 1, 32)
}

// WorkFactorOf reads the scrypt work factor (log2 N) a clinic key was
// wrapped with, from the wrapped key's header.
func WorkFactorOf(wrapped []byte) (int, error) {
	for line := range strings.Lines(string(wrapped)) {
		if strings.HasPrefix(line, "---") {
			break
		}
		if f := strings.Fields(line); len(f) == 4 && f[0] == "->" && f[1] == "scrypt" {
			if n, err := strconv.Atoi(f[3]); err == nil && n > 0 && n <= 30 {
				return n, nil
			}
		}
	}
	return 0, fmt.Errorf("wrapped clinic key: %w", ErrDamaged)
}

// Recipients are the public keys a kiosk seals session keys to: its
// clinic's, and at a satellite site the main clinic's too.
type Recipients struct {
	rs []age.Recipient
}

// ParseRecipients reads public keys ("age1...").
func ParseRecipients(keys ...string) (*Recipients, error) {
	if len(keys) == 0 {
		return nil, errors.New("no public key to seal to")
	}
	var rs []age.Recipient
	for _, k := range keys {
		r, err := age.ParseX25519Recipient(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("public key %q: %w", k, err)
		}
		rs = append(rs, r)
	}
	return &Recipients{rs: rs}, nil
}

// SessionKey is one session's data key.
type SessionKey struct {
	aead cipher.AEAD
	rand io.Reader
}

// NewSessionKey makes a fresh data key from rand and seals it to the
// recipients; the sealed key is stored with the session.
func NewSessionKey(rand io.Reader, to *Recipients) (*SessionKey, []byte, error) {
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := io.ReadFull(rand, key); err != nil {
		return nil, nil, fmt.Errorf("new session key: %w", err)
	}
	sealed, err := seal(to.rs, key)
	if err != nil {
		return nil, nil, fmt.Errorf("seal session key: %w", err)
	}
	sk, err := newSessionKey(rand, key)
	return sk, sealed, err
}

// OpenSessionKey opens a session's sealed data key with the clinic key.
func (k *ClinicKey) OpenSessionKey(rand io.Reader, sealed []byte) (*SessionKey, error) {
	key, err := open(k.id, sealed)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return nil, ErrNotForThisKey
	}
	if err != nil {
		return nil, fmt.Errorf("open session key: %w: %v", ErrDamaged, err)
	}
	return newSessionKey(rand, key)
}

// KeyFrom is a data key of 32 bytes the caller derived itself (a
// returning patient's check-in box, whose key only their code and date
// of birth give); it seals and opens as a session's data key does.
func KeyFrom(rand io.Reader, key []byte) (*SessionKey, error) {
	if len(key) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("a data key is %d bytes, not %d", chacha20poly1305.KeySize, len(key))
	}
	return newSessionKey(rand, key)
}

func newSessionKey(rand io.Reader, key []byte) (*SessionKey, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("session key: %w", err)
	}
	return &SessionKey{aead: aead, rand: rand}, nil
}

// payloadVersion leads every sealed payload, so that the format can change.
const payloadVersion = 1

// Seal encrypts one payload of the session with ad bound to it (the store
// binds the session id and the record's place), so a payload moved
// elsewhere does not open.
func (s *SessionKey) Seal(ad string, plaintext []byte) ([]byte, error) {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	out[0] = payloadVersion
	if _, err := io.ReadFull(s.rand, out[1:]); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return s.aead.Seal(out, out[1:], plaintext, []byte(ad)), nil
}

// Open decrypts a payload sealed by Seal with the same ad.
func (s *SessionKey) Open(ad string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n+s.aead.Overhead() || sealed[0] != payloadVersion {
		return nil, ErrDamaged
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(ad))
	if err != nil {
		return nil, ErrDamaged
	}
	return plain, nil
}

// seal encrypts plaintext to recipients in age's binary format.
func seal(to []age.Recipient, plaintext []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, to...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// open decrypts age data with one identity.
func open(id age.Identity, sealed []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}
