package desk

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"intakekiosk/demo"
	"intakekiosk/sqlite"
)

// AddStaff adds a staff account (administrators only), on record: the
// new member's passphrase wraps the clinic key the administrator holds.
func (s *Staff) AddStaff(ctx context.Context, name string, role sqlite.Role, passphrase string) error {
	key, err := s.admin("add staff")
	if err != nil {
		return err
	}
	return s.d.st.AddStaff(ctx, name, role, passphrase, key, s.who.Name, s.d.now())
}

// DisableStaff disables an account (administrators only), on record:
// its wrapped key is deleted, so its passphrase opens nothing any more.
// The last active administrator stays (sqlite.ErrLastAdmin).
func (s *Staff) DisableStaff(ctx context.Context, name string) error {
	if _, err := s.admin("disable staff"); err != nil {
		return err
	}
	return s.d.st.DisableStaff(ctx, name, s.who.Name, s.d.now())
}

// Purge deletes the sessions started before cutoff but one still in
// progress (administrators only), on record, and returns how many went.
func (s *Staff) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	if _, err := s.admin("purge"); err != nil {
		return 0, err
	}
	return s.d.st.Purge(ctx, cutoff, s.who.Name, s.d.now())
}

// AddSite registers a satellite site's bundle-signing key under a name
// (administrators only), on record: this clinic then imports its
// transfer bundles.
func (s *Staff) AddSite(ctx context.Context, name string, pub ed25519.PublicKey) error {
	if _, err := s.admin("register a site"); err != nil {
		return err
	}
	return s.d.st.AddSite(ctx, name, pub, s.who.Name, s.d.now())
}

// SiteKey is this site's public bundle-signing key, to register at the
// main clinic; the key pair is made at first use, its private half
// sealed to the clinic key.
func (s *Staff) SiteKey(ctx context.Context) (ed25519.PublicKey, error) {
	key, err := s.open()
	if err != nil {
		return nil, err
	}
	priv, err := s.d.st.SigningKey(ctx, key, s.d.now())
	if err != nil {
		return nil, err
	}
	return priv.Public().(ed25519.PublicKey), nil
}

// Demo stores n synthetic screenings made by g and, from six on, three
// returning patients (demo.Fill), administrators only, on record. It
// returns the returning patients' check-in codes.
func (s *Staff) Demo(ctx context.Context, g demo.Generator, n int) ([]string, error) {
	key, err := s.admin("demo")
	if err != nil {
		return nil, err
	}
	now := s.d.now()
	codes, err := demo.Fill(ctx, s.d.st, key, g, now, n, s.who.Name)
	if err != nil {
		return nil, err
	}
	err = s.d.st.Audit(ctx, sqlite.Entry{At: now, Actor: s.who.Name, Action: sqlite.ActDemo,
		Detail: fmt.Sprintf("%d synthetic screenings, %d returning patients", n, len(codes))})
	if err != nil {
		return nil, err
	}
	return codes, nil
}
