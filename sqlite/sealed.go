package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"intakekiosk"
	"intakekiosk/exchange"
)

// Unsent gives, as the exchange's Source, what destination dest has not
// had: every finished session not yet sent there or with records newer
// than its sending (a counselor's note), oldest first, then the patients
// those sessions name and every patient not yet sent there or with newer
// records (a taper plan, a new code). since, when not zero, gives instead
// every finished session started since then, sent or not, and the
// patients they name. It reads on the read connections, a session at a
// time.
func (s *Store) Unsent(ctx context.Context, dest string, since time.Time, fn func(exchange.Item) error) error {
	all := !since.IsZero()
	q := `SELECT s.id, s.kind, s.status, s.started, coalesce(s.completed, ''), coalesce(s.ended, ''), s.urgent,
			s.attention, coalesce(s.printed, ''), coalesce(s.reviewed, ''), s.reviewed_by, coalesce(s.acked, ''), s.acked_by,
			coalesce(s.patient_id, ''), s.sealed_key
		FROM sessions s LEFT JOIN sent x ON x.destination = ? AND x.kind = 'session' AND x.id = s.id
		WHERE s.status != ? AND s.started >= ?`
	if !all {
		// records are appended in time order: the last one says whether
		// any is newer than the sending (one index seek a session)
		q += ` AND (x.at IS NULL OR (SELECT r.recorded FROM records r WHERE r.session_id = s.id ORDER BY r.id DESC LIMIT 1) > x.at)`
	}
	q += " ORDER BY s.started, s.id"
	from := ""
	if all {
		from = ts(since)
	}
	rows, err := s.read.QueryContext(ctx, q, dest, intakekiosk.InProgress, from)
	if err != nil {
		return fmt.Errorf("read sessions: %w", classify(err))
	}
	// the list first (ids are small), then each session's records: one
	// query at a time on the read pool
	var list []intakekiosk.SealedSession
	for rows.Next() {
		var ss intakekiosk.SealedSession
		if err := rows.Scan(&ss.ID, &ss.Kind, &ss.Status, &ss.Started, &ss.Completed, &ss.Ended, &ss.Urgent,
			&ss.Attention, &ss.Printed, &ss.Reviewed, &ss.ReviewedBy, &ss.Acked, &ss.AckedBy, &ss.PatientID, &ss.SealedKey); err != nil {
			rows.Close()
			return fmt.Errorf("read sessions: %w", err)
		}
		list = append(list, ss)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read sessions: %w", classify(err))
	}
	var patients []string
	named := map[string]bool{}
	for i := range list {
		ss := list[i]
		list[i] = intakekiosk.SealedSession{} // let a streamed session go
		if ss.Records, err = s.sealedRecords(ctx, "SELECT r.recorded, r.payload, coalesce(w.id, ''), r.seq FROM "+withWriter("records")+" WHERE r.session_id = ? ORDER BY r.id", ss.ID); err != nil {
			return err
		}
		if err := fn(exchange.Item{Session: &ss}); err != nil {
			return err
		}
		if ss.PatientID != "" && !named[ss.PatientID] {
			named[ss.PatientID] = true
			patients = append(patients, ss.PatientID)
		}
	}
	if !all {
		changed, err := s.unsentPatients(ctx, dest)
		if err != nil {
			return err
		}
		for _, id := range changed {
			if !named[id] {
				named[id] = true
				patients = append(patients, id)
			}
		}
	}
	for _, id := range patients {
		var p intakekiosk.SealedPatient
		err := s.read.QueryRowContext(ctx, "SELECT id, code_hash, birth_hash, checkin_sealed, sealed_key, created FROM patients WHERE id = ?", id).
			Scan(&p.ID, &p.CodeHash, &p.BirthHash, &p.CheckinSealed, &p.SealedKey, &p.Created)
		if err != nil {
			return fmt.Errorf("read patient: %w", classify(err))
		}
		if p.Records, err = s.sealedRecords(ctx, "SELECT r.recorded, r.payload, coalesce(w.id, ''), r.seq FROM "+withWriter("patient_records")+" WHERE r.patient_id = ? ORDER BY r.id", id); err != nil {
			return err
		}
		if p.Asked, err = askedOf(ctx, s.read, id); err != nil {
			return fmt.Errorf("read patient: %w", err)
		}
		if err := fn(exchange.Item{Patient: &p}); err != nil {
			return err
		}
	}
	return nil
}

// unsentPatients are the patients not yet sent to dest or with records
// newer than their sending.
func (s *Store) unsentPatients(ctx context.Context, dest string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT p.id FROM patients p LEFT JOIN sent x ON x.destination = ? AND x.kind = 'patient' AND x.id = p.id
		WHERE x.at IS NULL OR (SELECT r.recorded FROM patient_records r WHERE r.patient_id = p.id ORDER BY r.id DESC LIMIT 1) > x.at
		ORDER BY p.created, p.id`, dest)
	if err != nil {
		return nil, fmt.Errorf("read patients: %w", classify(err))
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read patients: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, classify(rows.Err())
}

func (s *Store) sealedRecords(ctx context.Context, q, id string) ([]intakekiosk.SealedRecord, error) {
	rows, err := s.read.QueryContext(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("read records: %w", classify(err))
	}
	defer rows.Close()
	var out []intakekiosk.SealedRecord
	for rows.Next() {
		var r intakekiosk.SealedRecord
		if err := rows.Scan(&r.Recorded, &r.Payload, &r.Writer, &r.Seq); err != nil {
			return nil, fmt.Errorf("read records: %w", err)
		}
		out = append(out, r)
	}
	return out, classify(rows.Err())
}

// MarkSent moves destination sent.Dest's cursor past what was sent
// there (at sent.At, the time the sending began, so that a change made
// meanwhile goes the next time), and appends the audit entry e in the
// same transaction: nothing is marked as gone without the audit log
// saying where.
func (s *Store) MarkSent(ctx context.Context, sent exchange.Sent, e Entry) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO sent (destination, kind, id, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (destination, kind, id) DO UPDATE SET at = excluded.at`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, q := range []struct {
			kind string
			ids  []string
		}{{"session", sent.Sessions}, {"patient", sent.Patients}} {
			for _, id := range q.ids {
				if _, err := st.ExecContext(ctx, sent.Dest, q.kind, id, ts(sent.At)); err != nil {
					return err
				}
			}
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("mark sent to %s: %w", sent.Dest, err)
	}
	return nil
}
