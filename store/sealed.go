package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
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
	ID        string         `json:"id"`
	Kind      Kind           `json:"kind"`
	Status    Status         `json:"status"`
	Started   string         `json:"started"`
	Completed string         `json:"completed,omitempty"`
	Ended     string         `json:"ended,omitempty"`
	Urgent    bool           `json:"urgent,omitempty"`
	PatientID string         `json:"patient_id,omitempty"`
	SealedKey []byte         `json:"sealed_key"`
	Records   []SealedRecord `json:"records"`
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
// since (zero: all), oldest first, and, when onlyNew, not yet exported;
// then with every patient those sessions name. It reads on the read
// connections, a session at a time.
func (s *Store) EachSealed(ctx context.Context, since time.Time, onlyNew bool, fn func(SealedSession) error, patient func(SealedPatient) error) error {
	q := `SELECT id, kind, status, started, coalesce(completed, ''), coalesce(ended, ''), urgent, coalesce(patient_id, ''), sealed_key
		FROM sessions WHERE status != ? AND started >= ?`
	if onlyNew {
		q += " AND exported IS NULL"
	}
	q += " ORDER BY started, id"
	from := ""
	if !since.IsZero() {
		from = ts(since)
	}
	rows, err := s.read.QueryContext(ctx, q, InProgress, from)
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
	patients := map[string]bool{}
	for i := range list {
		ss := list[i]
		list[i] = SealedSession{} // let a streamed session go
		if ss.Records, err = s.sealedRecords(ctx, "SELECT recorded, payload FROM records WHERE session_id = ? ORDER BY id", ss.ID); err != nil {
			return err
		}
		if err := fn(ss); err != nil {
			return err
		}
		if ss.PatientID != "" {
			patients[ss.PatientID] = true
		}
	}
	for id := range patients {
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

// MarkExported records that sessions left in a bundle at at, and appends
// the export's audit entry in the same transaction: sessions are never
// marked as gone without the audit log saying where.
func (s *Store) MarkExported(ctx context.Context, ids []string, at time.Time, e Entry) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, "UPDATE sessions SET exported = ? WHERE id = ?")
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, ts(at), id); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("mark exported: %w", err)
	}
	return nil
}

// Importer adds sealed sessions and patients in one transaction: Import
// makes one, the caller adds, and Commit or Rollback ends it.
type Importer struct {
	s               *Store
	tx              *sql.Tx
	site            string
	added, existing int
	// prepared once for the whole import
	started, session *sql.Stmt
	// records inserts a session's records in one statement, by count
	records map[int]*sql.Stmt
}

// ErrImportConflict: a session in the bundle has the id of a different
// session here.
var ErrImportConflict = errors.New("a session of the bundle has the id of a different session here")

// Import starts adding sealed sessions from site (a bundle) in one
// transaction: nothing is kept unless Commit is called.
func (s *Store) Import(ctx context.Context, site string) (*Importer, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("import: %w", classify(err))
	}
	// a bundle lists its patients after the sessions that name them
	if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("import: %w", classify(err))
	}
	im := &Importer{s: s, tx: tx, site: site, records: map[int]*sql.Stmt{}}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&im.started, "SELECT started FROM sessions WHERE id = ?"},
		{&im.session, `INSERT INTO sessions (id, kind, status, started, completed, ended, urgent, sealed_key, patient_id, site)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
	} {
		if *p.st, err = tx.PrepareContext(ctx, p.q); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("import: %w", classify(err))
		}
	}
	return im, nil
}

// Session adds a sealed session; one already here with the same id and
// start is left as it is (importing twice adds nothing).
func (im *Importer) Session(ctx context.Context, ss SealedSession) error {
	var started string
	err := im.started.QueryRowContext(ctx, ss.ID).Scan(&started)
	switch {
	case err == nil && started == ss.Started:
		im.existing++
		return nil
	case err == nil:
		return fmt.Errorf("session %s: %w", ss.ID, ErrImportConflict)
	case !errors.Is(err, sql.ErrNoRows):
		return classify(err)
	}
	if ss.Status == InProgress || (ss.Kind != Screening && ss.Kind != Checkin) {
		return fmt.Errorf("session %s: kind %q, status %q cannot be imported", ss.ID, ss.Kind, ss.Status)
	}
	if _, err := ParseStatus(string(ss.Status)); err != nil {
		return fmt.Errorf("session %s: %w", ss.ID, err)
	}
	null := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	_, err = im.session.ExecContext(ctx, ss.ID, ss.Kind, ss.Status, ss.Started, null(ss.Completed), null(ss.Ended), ss.Urgent,
		ss.SealedKey, null(ss.PatientID), im.site)
	if err != nil {
		return fmt.Errorf("session %s: %w", ss.ID, classify(err))
	}
	// all of a session's records in one statement: a bundle holds
	// millions of them
	for rest := ss.Records; len(rest) > 0; {
		n := min(len(rest), 200)
		st, err := im.recordsStmt(ctx, n)
		if err != nil {
			return err
		}
		args := make([]any, 0, 3*n)
		for _, r := range rest[:n] {
			args = append(args, ss.ID, r.Recorded, r.Payload)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("session %s: %w", ss.ID, classify(err))
		}
		rest = rest[n:]
	}
	im.added++
	return nil
}

// recordsStmt is the statement inserting n records.
func (im *Importer) recordsStmt(ctx context.Context, n int) (*sql.Stmt, error) {
	if st, ok := im.records[n]; ok {
		return st, nil
	}
	q := "INSERT INTO records (session_id, recorded, payload) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", n), ", ")
	st, err := im.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("import: %w", classify(err))
	}
	im.records[n] = st
	return st, nil
}

// Patient adds a sealed patient (before the sessions that name it); one
// already here is left as it is.
func (im *Importer) Patient(ctx context.Context, p SealedPatient) error {
	var one int
	err := im.tx.QueryRowContext(ctx, "SELECT 1 FROM patients WHERE id = ?", p.ID).Scan(&one)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return classify(err)
	}
	if _, err := im.tx.ExecContext(ctx, "INSERT INTO patients (id, code_hash, sealed_key, created) VALUES (?, ?, ?, ?)",
		p.ID, p.CodeHash, p.SealedKey, p.Created); err != nil {
		return fmt.Errorf("patient %s: %w", p.ID, classify(err))
	}
	for _, r := range p.Records {
		if _, err := im.tx.ExecContext(ctx, "INSERT INTO patient_records (patient_id, recorded, payload) VALUES (?, ?, ?)", p.ID, r.Recorded, r.Payload); err != nil {
			return fmt.Errorf("patient %s: %w", p.ID, classify(err))
		}
	}
	return nil
}

// Counts says how many sessions were added, and how many were here.
func (im *Importer) Counts() (added, existing int) { return im.added, im.existing }

// Commit keeps what was added, with an audit entry by by.
func (im *Importer) Commit(ctx context.Context, e Entry) error {
	im.close()
	if err := appendAudit(ctx, im.tx, e); err != nil {
		im.tx.Rollback()
		return fmt.Errorf("import: %w", err)
	}
	if err := im.tx.Commit(); err != nil {
		return fmt.Errorf("import: %w", classify(err))
	}
	if err := im.s.syncHead(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrAuditHead, err)
	}
	return nil
}

// Rollback drops everything added.
func (im *Importer) Rollback() {
	im.close()
	im.tx.Rollback()
}

func (im *Importer) close() {
	for _, st := range []*sql.Stmt{im.started, im.session} {
		if st != nil {
			st.Close()
		}
	}
	for _, st := range im.records {
		st.Close()
	}
}
