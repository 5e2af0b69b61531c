package desk

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"intakekiosk/demo"
	"intakekiosk/fault"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// ErrAdminOnly: what was asked is an administrator's.
var ErrAdminOnly error = fault.E(fault.Permission, "only an administrator may do this")

// AdminOnly refuses what only an administrator may do (op names it:
// "add staff", "import") to another staff member, with ErrAdminOnly, and
// puts the refusal on record under their name (action sqlite.ActRefused,
// the op as its detail): kioskctl asks it before such work of its own,
// and every administrator's method of the desk through it. A refusal
// that cannot be put on record is that error, still a refusal.
func (s *Staff) AdminOnly(ctx context.Context, op string) error {
	_, err := s.admin(ctx, op)
	return err
}

// admin is the clinic key while an administrator is signed in; what
// another staff member asks (op) is refused, on record (AdminOnly).
func (s *Staff) admin(ctx context.Context, op string) (*vault.ClinicKey, error) {
	key, err := s.open()
	if err != nil {
		return nil, err
	}
	if s.Admin() {
		return key, nil
	}
	refused := &fault.Error{Op: op, Err: ErrAdminOnly}
	if err := s.audit(ctx, sqlite.ActRefused, "", op); err != nil {
		return nil, fmt.Errorf("%w (%w)", refused, err)
	}
	return nil, refused
}

// SetSetting changes a setting (administrators only), on record.
func (s *Staff) SetSetting(ctx context.Context, key, value string) error {
	if _, err := s.admin(ctx, "change setting "+key); err != nil {
		var fe *fault.Error
		if errors.As(err, &fe) && fe.Err == ErrAdminOnly {
			fe.Op, fe.Field = "setting", key
		}
		return err
	}
	return s.d.st.SetSetting(ctx, key, value, s.who.Name, s.d.now())
}

// AddStaff adds a staff account (administrators only), on record: the
// new member's passphrase wraps the clinic key the administrator holds.
func (s *Staff) AddStaff(ctx context.Context, name string, role sqlite.Role, passphrase string) error {
	key, err := s.admin(ctx, "add staff")
	if err != nil {
		return err
	}
	return s.d.st.AddStaff(ctx, name, role, passphrase, key, s.who.Name, s.d.now())
}

// DisableStaff disables an account (administrators only), on record:
// its wrapped key is deleted, so its passphrase opens nothing any more.
// The last active administrator stays (sqlite.ErrLastAdmin).
func (s *Staff) DisableStaff(ctx context.Context, name string) error {
	if _, err := s.admin(ctx, "disable staff"); err != nil {
		return err
	}
	return s.d.st.DisableStaff(ctx, name, s.who.Name, s.d.now())
}

// Purge deletes the sessions started before cutoff but one still in
// progress (administrators only), on record, and returns how many went.
func (s *Staff) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	if _, err := s.admin(ctx, "purge"); err != nil {
		return 0, err
	}
	return s.d.st.Purge(ctx, cutoff, s.who.Name, s.d.now())
}

// AddSite registers a satellite site's bundle-signing key under a name
// (administrators only), on record: this clinic then imports its
// transfer bundles.
func (s *Staff) AddSite(ctx context.Context, name string, pub ed25519.PublicKey) error {
	if _, err := s.admin(ctx, "register a site"); err != nil {
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
// returns the returning patients' check-in codes and dates of birth.
func (s *Staff) Demo(ctx context.Context, g demo.Generator, n int) ([]demo.Returning, error) {
	key, err := s.admin(ctx, "demo")
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

// Endorse signs msg (a node joining the clinic network: hub.Registration.Endorsed)
// with this site's signing key (administrators only), on record as the
// join of target, and gives the site key's public half: every node that
// trusts this site then trusts the node.
func (s *Staff) Endorse(ctx context.Context, target string, msg []byte) ([]byte, ed25519.PublicKey, error) {
	key, err := s.admin(ctx, "join the clinic network")
	if err != nil {
		return nil, nil, err
	}
	priv, err := s.d.st.SigningKey(ctx, key, s.d.now())
	if err != nil {
		return nil, nil, err
	}
	if err := s.audit(ctx, sqlite.ActJoined, target, "endorsed as a node of the clinic network"); err != nil {
		return nil, nil, err
	}
	return ed25519.Sign(priv, msg), priv.Public().(ed25519.PublicKey), nil
}

// Revoked puts on record here that this administrator shut node name out
// of the clinic network (postgres.Owner.Revoke, done at the server first): who did
// it, and when, stay in this database's audit chain.
func (s *Staff) Revoked(ctx context.Context, name string) error {
	if _, err := s.admin(ctx, "revoke a node of the clinic network"); err != nil {
		return err
	}
	return s.audit(ctx, sqlite.ActRevoke, name, "shut out of the clinic network")
}
