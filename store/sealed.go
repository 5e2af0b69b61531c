package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"intakekiosk"
)

// SealedRecord is a record as stored: its time and sealed payload.
type SealedRecord struct {
	Recorded string `json:"recorded"`
	Payload  []byte `json:"payload"`
}

// SealedSession is a session as stored, still sealed: what a transfer
// bundle carries. Times are kept as stored text, so an import keeps them
// to the nanosecond.
type SealedSession struct {
	ID        string                  `json:"id"`
	Kind      intakekiosk.SessionKind `json:"kind"`
	Status    intakekiosk.Status      `json:"status"`
	Started   string                  `json:"started"`
	Completed string                  `json:"completed,omitempty"`
	Ended     string                  `json:"ended,omitempty"`
	Urgent    bool                    `json:"urgent,omitempty"`
	PatientID string                  `json:"patient_id,omitempty"`
	SealedKey []byte                  `json:"sealed_key"`
	Records   []SealedRecord          `json:"records"`
}

// SealedPatient is a returning patient as stored, still sealed.
type SealedPatient struct {
	ID        string         `json:"id"`
	CodeHash  []byte         `json:"code_hash"`
	SealedKey []byte         `json:"sealed_key"`
	Created   string         `json:"created"`
	Records   []SealedRecord `json:"records"`
}

// EachSealed calls fn with every finished session started on or after
// since (zero: all), oldest first, and, when onlyNew, not yet exported
// or with records newer than its export (a counselor's note); then
// patient with every patient those sessions name and, when onlyNew,
// every patient not yet exported or with newer records (a taper plan, a
// new code). It reads on the read connections, a session at a time.
func (s *Store) EachSealed(ctx context.Context, since time.Time, onlyNew bool, fn func(SealedSession) error, patient func(SealedPatient) error) error {
	q := `SELECT id, kind, status, started, coalesce(completed, ''), coalesce(ended, ''), urgent, coalesce(patient_id, ''), sealed_key
		FROM sessions WHERE status != ? AND started >= ?`
	if onlyNew {
		q += ` AND (exported IS NULL OR EXISTS (SELECT 1 FROM records r WHERE r.session_id = sessions.id AND r.recorded > sessions.exported))`
	}
	q += " ORDER BY started, id"
	from := ""
	if !since.IsZero() {
		from = ts(since)
	}
	rows, err := s.read.QueryContext(ctx, q, intakekiosk.InProgress, from)
	if err != nil {
		return fmt.Errorf("read sessions: %w", classify(err))
	}
	// the list first (ids are small), then each session's records: one
	// query at a time on the read pool
	var list []SealedSession
	for rows.Next() {
		var ss SealedSession
		if err := rows.Scan(&ss.ID, &ss.Kind, &ss.Status, &ss.Started, &ss.Completed, &ss.Ended, &ss.Urgent, &ss.PatientID, &ss.SealedKey); err != nil {
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
		list[i] = SealedSession{} // let a streamed session go
		if ss.Records, err = s.sealedRecords(ctx, "SELECT recorded, payload FROM records WHERE session_id = ? ORDER BY id", ss.ID); err != nil {
			return err
		}
		if err := fn(ss); err != nil {
			return err
		}
		if ss.PatientID != "" && !named[ss.PatientID] {
			named[ss.PatientID] = true
			patients = append(patients, ss.PatientID)
		}
	}
	if onlyNew {
		changed, err := s.changedPatients(ctx)
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
		var p SealedPatient
		err := s.read.QueryRowContext(ctx, "SELECT id, code_hash, sealed_key, created FROM patients WHERE id = ?", id).
			Scan(&p.ID, &p.CodeHash, &p.SealedKey, &p.Created)
		if err != nil {
			return fmt.Errorf("read patient: %w", classify(err))
		}
		if p.Records, err = s.sealedRecords(ctx, "SELECT recorded, payload FROM patient_records WHERE patient_id = ? ORDER BY id", id); err != nil {
			return err
		}
		if err := patient(p); err != nil {
			return err
		}
	}
	return nil
}

// changedPatients are the patients not yet exported or with records
// newer than their export.
func (s *Store) changedPatients(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM patients WHERE exported IS NULL OR EXISTS
		(SELECT 1 FROM patient_records r WHERE r.patient_id = patients.id AND r.recorded > patients.exported) ORDER BY created, id`)
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

func (s *Store) sealedRecords(ctx context.Context, q, id string) ([]SealedRecord, error) {
	rows, err := s.read.QueryContext(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("read records: %w", classify(err))
	}
	defer rows.Close()
	var out []SealedRecord
	for rows.Next() {
		var r SealedRecord
		if err := rows.Scan(&r.Recorded, &r.Payload); err != nil {
			return nil, fmt.Errorf("read records: %w", err)
		}
		out = append(out, r)
	}
	return out, classify(rows.Err())
}

// Exported names what left in a bundle.
type Exported struct {
	Sessions, Patients []string
}

// MarkExported records that sessions and patients left in a bundle at at,
// and appends the export's audit entry in the same transaction: nothing
// is marked as gone without the audit log saying where.
func (s *Store) MarkExported(ctx context.Context, ex Exported, at time.Time, e Entry) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []struct {
			sql string
			ids []string
		}{
			{"UPDATE sessions SET exported = ? WHERE id = ?", ex.Sessions},
			{"UPDATE patients SET exported = ? WHERE id = ?", ex.Patients},
		} {
			st, err := tx.PrepareContext(ctx, q.sql)
			if err != nil {
				return err
			}
			for _, id := range q.ids {
				if _, err := st.ExecContext(ctx, ts(at), id); err != nil {
					st.Close()
					return err
				}
			}
			st.Close()
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("mark exported: %w", err)
	}
	return nil
}
