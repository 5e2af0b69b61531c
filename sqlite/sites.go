package sqlite

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"intakekiosk/vault"
)

// Audit actions of transfers.
const (
	ActSiteAdd = "site_add"
	ActImport  = "import"
)

// Site is a satellite site whose bundles this clinic accepts.
type Site struct {
	Name      string
	PublicKey ed25519.PublicKey
	Added     time.Time
}

// siteKeyAD binds the sealed signing key to its place.
const siteKeyAD = "site-key"

// SigningKey returns this site's bundle-signing key, made at first use
// and kept with its private half sealed to this site's own clinic key
// (clinic is the unlocked staff member's key): only unlocked staff here
// sign a bundle.
func (s *Store) SigningKey(ctx context.Context, clinic *vault.ClinicKey, at time.Time) (ed25519.PrivateKey, error) {
	var pub, sealedKey, sealedPriv []byte
	err := s.db.QueryRowContext(ctx, "SELECT public_key, sealed_key, sealed_private FROM site_key WHERE one = 1").Scan(&pub, &sealedKey, &sealedPriv)
	if err == nil {
		k, err := clinic.OpenSessionKey(s.rand, sealedKey)
		if err != nil {
			return nil, fmt.Errorf("site key: %w", err)
		}
		priv, err := k.Open(siteKeyAD, sealedPriv)
		if err != nil || len(priv) != ed25519.PrivateKeySize || !bytes.Equal(ed25519.PrivateKey(priv).Public().(ed25519.PublicKey), pub) {
			return nil, fmt.Errorf("site key: %w", vault.ErrDamaged)
		}
		return ed25519.PrivateKey(priv), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("site key: %w", classify(err))
	}
	pub, priv, err := ed25519.GenerateKey(s.rand)
	if err != nil {
		return nil, fmt.Errorf("site key: %w", err)
	}
	own, err := vault.ParseRecipients(clinic.PublicKey())
	if err != nil {
		return nil, fmt.Errorf("site key: %w", err)
	}
	k, sealedKey, err := vault.NewSessionKey(s.rand, own)
	if err != nil {
		return nil, fmt.Errorf("site key: %w", err)
	}
	if sealedPriv, err = k.Seal(siteKeyAD, priv); err != nil {
		return nil, fmt.Errorf("site key: %w", err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO site_key (one, public_key, sealed_key, sealed_private, created) VALUES (1, ?, ?, ?, ?)",
			[]byte(pub), sealedKey, sealedPriv, ts(at))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("site key: %w", err)
	}
	return priv, nil
}

// AddSite registers a satellite's signing key under a name, audited.
func (s *Store) AddSite(ctx context.Context, name string, pub ed25519.PublicKey, by string, at time.Time) error {
	if name == "" || len(name) > 60 {
		return errors.New("add site: a name of 1 to 60 characters")
	}
	if len(pub) != ed25519.PublicKeySize {
		return errors.New("add site: not a site signing key")
	}
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO sites (name, public_key, added) VALUES (?, ?, ?)", name, []byte(pub), ts(at)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: at, Actor: by, Action: ActSiteAdd, Target: name})
	})
	if err != nil {
		return fmt.Errorf("add site %s: %w (a site's name and key are registered once)", name, err)
	}
	return nil
}

// Sites lists the registered satellite sites.
func (s *Store) Sites(ctx context.Context) ([]Site, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, public_key, added FROM sites ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("sites: %w", classify(err))
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		var st Site
		var pub []byte
		var added sql.NullString
		if err := rows.Scan(&st.Name, &pub, &added); err != nil {
			return nil, fmt.Errorf("sites: %w", err)
		}
		st.PublicKey = ed25519.PublicKey(pub)
		st.Added, _ = parseTS(added)
		out = append(out, st)
	}
	return out, classify(rows.Err())
}

// Recipients lists the public keys this site's sessions are sealed to.
func (s *Store) Recipients(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT public_key FROM clinic_keys ORDER BY added, public_key")
	if err != nil {
		return nil, fmt.Errorf("read clinic keys: %w", classify(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("read clinic keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read clinic keys: %w", classify(err))
	}
	return out, nil
}
