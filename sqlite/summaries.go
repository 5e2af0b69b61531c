package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"intakekiosk/vault"
)

// The desk's search cache (migration 0012): each session's queue summary
// sealed with a key of its own, that key sealed to the clinic's public
// key. The store keeps the sealed bytes and says what each session holds
// now; review seals, opens and decides what is stale. Local to this
// database: nothing here enters the change log, a bundle or a salvage.

// SummaryKey opens the summary cache's key with the clinic key. A
// database without one, or whose key the clinic key does not open (the
// clinic key changed, or the sealed key is damaged), gets a new one from
// the store's randomness, sealed to the clinic key, every summary cached
// under the old one dropped in the same transaction.
func (s *Store) SummaryKey(ctx context.Context, clinic *vault.ClinicKey) (*vault.SessionKey, error) {
	to, err := vault.ParseRecipients(clinic.PublicKey())
	if err != nil {
		return nil, fmt.Errorf("summary key: %w", err)
	}
	for range 3 {
		var sealed []byte
		err := s.read.QueryRowContext(ctx, "SELECT sealed FROM summary_key WHERE one = 1").Scan(&sealed)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("read the summary key: %w", classify(err))
		}
		if sealed != nil {
			key, err := clinic.OpenSessionKey(s.rand, sealed)
			if err == nil {
				return key, nil
			}
			if !errors.Is(err, vault.ErrNotForThisKey) && !errors.Is(err, vault.ErrDamaged) {
				return nil, fmt.Errorf("summary key: %w", err)
			}
		}
		key, fresh, err := vault.NewSessionKey(s.rand, to)
		if err != nil {
			return nil, fmt.Errorf("summary key: %w", err)
		}
		placed, err := s.replaceSummaryKey(ctx, sealed, fresh)
		if err != nil {
			return nil, err
		}
		if placed {
			return key, nil
		}
		// another sign-in on this database put a key first: open theirs
	}
	return nil, fmt.Errorf("summary key: changed by another sign-in: %w", ErrBusy)
}

// replaceSummaryKey puts sealed in place of the summary cache's key old
// (nil: none) and drops every cached summary, in one transaction, unless
// the key stored is no longer old: it then changes nothing and says so.
func (s *Store) replaceSummaryKey(ctx context.Context, old, sealed []byte) (bool, error) {
	placed := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var now []byte
		err := tx.QueryRowContext(ctx, "SELECT sealed FROM summary_key WHERE one = 1").Scan(&now)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if !bytes.Equal(now, old) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM summaries"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO summary_key (one, sealed) VALUES (1, ?)", sealed); err != nil {
			return err
		}
		placed = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("set the summary key: %w", err)
	}
	return placed, nil
}

// CachedSummary is a session's entry in the summary cache, and what the
// session holds now.
type CachedSummary struct {
	SessionID string
	// Records is where the session's records end (the last one's row);
	// Patient where its patient's records and their screenings' records
	// end ("" with no patient). Records are only ever appended, so
	// either moves with every record added, here or pulled, and a
	// session's rows only with it.
	Records, Patient string
	// Mark and Sealed are the summary cached ("" and nil: none).
	Mark   string
	Sealed []byte
}

// summaryState reads, for sessions named in a JSON array, where their
// records and their patient's end and the summary cached, in one pass:
// each last row is one look-up in its index (records_by_session,
// patient_records_by_patient), not a count of the rows.
const summaryState = `SELECT s.id,
  coalesce((SELECT max(r.id) FROM records r WHERE r.session_id = s.id), 0),
  CASE WHEN s.patient_id IS NULL THEN '' ELSE
    coalesce((SELECT max(p.id) FROM patient_records p WHERE p.patient_id = s.patient_id), 0) || '.' ||
    coalesce((SELECT max(r.id) FROM sessions o JOIN records r ON r.session_id = o.id
      WHERE o.patient_id = s.patient_id AND o.kind = 'screening'), 0)
  END,
  coalesce(c.mark, ''), c.sealed
FROM json_each(?) j JOIN sessions s ON s.id = j.value LEFT JOIN summaries c ON c.session_id = s.id`

// CachedSummaries reads, in one query, what the sessions named hold now
// and their cached summaries; a session not here is left out.
func (s *Store) CachedSummaries(ctx context.Context, ids []string) ([]CachedSummary, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("read cached summaries: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, summaryState, string(list))
	if err != nil {
		return nil, fmt.Errorf("read cached summaries: %w", classify(err))
	}
	defer rows.Close()
	out := make([]CachedSummary, 0, len(ids))
	for rows.Next() {
		var c CachedSummary
		if err := rows.Scan(&c.SessionID, &c.Records, &c.Patient, &c.Mark, &c.Sealed); err != nil {
			return nil, fmt.Errorf("read cached summaries: %w", classify(err))
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cached summaries: %w", classify(err))
	}
	return out, nil
}

// SealedSummary is a session's summary to cache, sealed, with its mark.
type SealedSummary struct {
	SessionID, Mark string
	Sealed          []byte
}

// PutSummaries caches sealed summaries in one transaction, each in place
// of the one before; a session deleted meanwhile (a purge) is passed over.
func (s *Store) PutSummaries(ctx context.Context, list []SealedSummary) error {
	if len(list) == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		put, err := tx.PrepareContext(ctx, "INSERT OR REPLACE INTO summaries (session_id, mark, sealed) "+
			"SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ?1)")
		if err != nil {
			return err
		}
		defer put.Close()
		for _, c := range list {
			if _, err := put.ExecContext(ctx, c.SessionID, c.Mark, c.Sealed); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache summaries: %w", err)
	}
	return nil
}
