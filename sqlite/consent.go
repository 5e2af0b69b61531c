package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"intakekiosk"
	"intakekiosk/consent"
	"intakekiosk/vault"
)

// The audit actions of consent: each signature, decline, revocation,
// disclosure and patient's own copy is an entry naming the session, the
// form's version and hash, never the patient nor a recipient's name.
const (
	ActConsentSigned   = "consent_signed"
	ActConsentDeclined = "consent_declined"
	ActConsentRevoked  = "consent_revoked"
	ActDisclosed       = "disclosed"
	ActPatientAccess   = "patient_access"
)

// Consented seals the consent the patient signed or declined at the kiosk
// as a record of the session in progress, with its audit entry
// (ActConsentSigned or ActConsentDeclined, actor "kiosk") in the same
// commit. The consent is checked first (consent.Signed.Check).
func (s *Store) Consented(ctx context.Context, sessionID string, at time.Time, c consent.Signed) error {
	if err := c.Check(); err != nil {
		return fmt.Errorf("save consent: %w", err)
	}
	act := ActConsentSigned
	if c.Declined {
		act = ActConsentDeclined
	}
	e := Entry{At: at, Actor: "kiosk", Action: act, Target: sessionID, Detail: ConsentDetail(c.Form, c.Version, c.Hash)}
	return s.appendOpen(ctx, sessionID, at, intakekiosk.Payload{Consent: &c}, &e)
}

// ConsentDetail is how the audit log names a consent: its form, version
// and the start of its hash.
func ConsentDetail(form string, version int, hash string) string {
	if len(hash) > 16 {
		hash = hash[:16]
	}
	return fmt.Sprintf("%s v%d sha256:%s", form, version, hash)
}

// StaffRecord is a record staff add to a finished session: a note, a
// revocation, a disclosure.
type StaffRecord struct {
	Session string
	intakekiosk.Payload
}

// AddStaffRecords seals each record with its session's data key (opened
// with the clinic key) and appends it, with one audit entry e counting
// them, in one transaction: all go in or none. A session still in
// progress is refused (intakekiosk.ErrInProgress).
func (s *Store) AddStaffRecords(ctx context.Context, clinic *vault.ClinicKey, recs []StaffRecord, at time.Time, e Entry) error {
	var sessions []string
	seen := map[string]bool{}
	plain := make([][]byte, len(recs))
	for i, r := range recs {
		b, err := json.Marshal(r.Payload)
		if err != nil {
			return err
		}
		plain[i] = b
		if !seen[r.Session] {
			seen[r.Session] = true
			sessions = append(sessions, r.Session)
		}
	}
	return s.auditTx(ctx, func(tx *sql.Tx) error {
		keys := map[string]*vault.SessionKey{}
		for i, r := range recs {
			key, ok := keys[r.Session]
			if !ok {
				var status intakekiosk.Status
				var sealedKey []byte
				err := tx.QueryRowContext(ctx, "SELECT status, sealed_key FROM sessions WHERE id = ?", r.Session).Scan(&status, &sealedKey)
				if errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("session %s: %w", r.Session, ErrNoSession)
				}
				if err != nil {
					return err
				}
				if status == intakekiosk.InProgress {
					return fmt.Errorf("session %s: %w", r.Session, intakekiosk.ErrInProgress)
				}
				if key, err = clinic.OpenSessionKey(s.rand, sealedKey); err != nil {
					return err
				}
				keys[r.Session] = key
			}
			if err := s.appendSealed(ctx, tx, key, false, r.Session, at, plain[i]); err != nil {
				return err
			}
		}
		return countedEntry(ctx, tx, e, sessions, nil)
	})
}
