package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/vault"
)

// ErrNoSession: no session has that id.
var ErrNoSession error = fault.E(fault.NotFound, "no such session")

// tsLayout is RFC 3339 in UTC with a fixed nine-digit fraction, so that
// stored instants sort as text in time order.
const tsLayout = "2006-01-02T15:04:05.000000000Z"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s.String)
}

// ErrSessionClosed: the session was not started by this process, or has
// ended; nothing more can be written to it.
var ErrSessionClosed error = fault.E(fault.Closed, "session is not open for writing")

// CreateSession records a new session, in progress, with a fresh data key
// sealed to the clinic's public keys; the key stays in memory for the
// session's answers until it ends.
func (s *Store) CreateSession(ctx context.Context, id string, kind intakekiosk.SessionKind, started time.Time) error {
	return s.createSession(ctx, id, kind, "", started)
}

// CreateCheckin records a new check-in session of a patient (matched by
// their check-in code), in progress, as CreateSession does.
func (s *Store) CreateCheckin(ctx context.Context, id, patientID string, started time.Time) error {
	if patientID == "" {
		return errors.New("create check-in: no patient")
	}
	return s.createSession(ctx, id, intakekiosk.Checkin, patientID, started)
}

func (s *Store) createSession(ctx context.Context, id string, kind intakekiosk.SessionKind, patientID string, started time.Time) error {
	if !s.IsSetUp() {
		return fmt.Errorf("create session: %w", ErrNotSetUp)
	}
	key, sealed, err := vault.NewSessionKey(s.rand, s.recipients)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	var patient any
	if patientID != "" {
		patient = patientID
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (id, kind, status, started, sealed_key, patient_id) VALUES (?, ?, ?, ?, ?, ?)",
			id, kind, intakekiosk.InProgress, ts(started), sealed, patient)
		return err
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	s.mu.Lock()
	s.writing[id] = &openSession{key: key}
	s.mu.Unlock()
	return nil
}

// forget drops a session's data key.
func (s *Store) forget(id string) {
	s.mu.Lock()
	delete(s.writing, id)
	s.mu.Unlock()
}

// openSession is a session this process is writing: its data key and how
// many records it holds (all this writer's: the session began here).
type openSession struct {
	key     *vault.SessionKey
	records int
}

// Append seals a payload with the session's data key and commits it in
// one transaction. When it returns nil the record is on disk.
func (s *Store) Append(ctx context.Context, sessionID string, at time.Time, p intakekiosk.Payload) error {
	return s.appendOpen(ctx, sessionID, at, p, nil)
}

// appendOpen is Append, with an audit entry in the same commit when e is
// not nil (the kiosk's own: where the audit log refuses it, the record
// still goes in without it, as kioskTx does).
func (s *Store) appendOpen(ctx context.Context, sessionID string, at time.Time, p intakekiosk.Payload, e *Entry) error {
	s.mu.Lock()
	open, ok := s.writing[sessionID]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("save record: session %s: %w", sessionID, ErrSessionClosed)
	}
	plain, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("save record: %w", err)
	}
	seq := open.records + 1
	sealed, err := open.key.Seal(recordAD(sessionID, s.writer, seq), plain)
	if err != nil {
		return fmt.Errorf("save record: %w", err)
	}
	insert := func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO records (session_id, recorded, payload, writer, seq) VALUES (?, ?, ?, ?, ?)",
			sessionID, ts(at), sealed, s.writerN, seq)
		return err
	}
	if e == nil {
		err = s.tx(ctx, insert)
	} else {
		err = s.auditTx(ctx, func(tx *sql.Tx) error {
			if err := insert(tx); err != nil {
				return err
			}
			return appendAudit(ctx, tx, *e)
		})
		if errors.Is(err, ErrAuditBroken) {
			err = s.tx(ctx, insert)
		} else if errors.Is(err, ErrAuditHead) {
			err = nil // committed; the head file is written again next time
		}
	}
	if err != nil {
		return fmt.Errorf("save record: %w", err)
	}
	s.mu.Lock()
	open.records++
	s.mu.Unlock()
	return nil
}

// Raise puts a session's concern on record (intakekiosk.Concerns): urgent
// or needing attention, either pinning it at the top of the staff queue.
// A concern is only ever raised, never lowered.
func (s *Store) Raise(ctx context.Context, id string, c intakekiosk.Concern) error {
	switch c {
	case intakekiosk.Urgent:
		return s.update(ctx, "mark urgent", id, "UPDATE sessions SET urgent = 1 WHERE id = ?", id)
	case intakekiosk.NeedsAttention:
		return s.update(ctx, "mark for attention", id, "UPDATE sessions SET attention = 1 WHERE id = ?", id)
	}
	return nil
}

// Complete marks a session submitted at the given time, its records
// counted in the audit log (ActSessionEnd) in the same commit.
func (s *Store) Complete(ctx context.Context, id string, at time.Time) error {
	err := s.ended(ctx, "complete session", id, "submitted", at,
		"UPDATE sessions SET status = ?, completed = ?, ended = ? WHERE id = ?", intakekiosk.New, ts(at), ts(at), id)
	if err == nil {
		s.forget(id) // the kiosk can no longer read or add to it
	}
	return err
}

// Abandon marks a session in progress as incomplete (the patient walked
// away); what they answered stays, counted as Complete counts it.
func (s *Store) Abandon(ctx context.Context, id string, at time.Time) error {
	// the data key goes even if the write fails: nobody will retry
	defer s.forget(id)
	return s.ended(ctx, "close session", id, "incomplete", at,
		"UPDATE sessions SET status = ?, ended = ? WHERE id = ? AND status = ?", intakekiosk.Incomplete, ts(at), id, intakekiosk.InProgress)
}

// ended runs the statement that ends session id (how says how, in the
// audit's words) with the audit entry counting its records, in one
// commit.
func (s *Store) ended(ctx context.Context, what, id, how string, at time.Time, query string, args ...any) error {
	err := s.kioskTx(ctx, func(tx *sql.Tx) error { return updateSession(ctx, tx, id, query, args...) },
		Entry{At: at, Actor: ActorKiosk, Action: ActSessionEnd, Target: id, Detail: how}, []string{id})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// update runs one statement on session id; an id that names no session is
// ErrNoSession.
func (s *Store) update(ctx context.Context, what, id, query string, args ...any) error {
	err := s.tx(ctx, func(tx *sql.Tx) error { return updateSession(ctx, tx, id, query, args...) })
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// updateSession runs one statement on session id in tx; an id that names
// no session is ErrNoSession.
func updateSession(ctx context.Context, tx *sql.Tx, id, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM sessions WHERE id = ?", id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSession
		}
		return err
	}
	return nil
}

// RecoverInterrupted marks every session still in progress as incomplete,
// ended at the time of its last record, their records counted in one
// audit entry (ActRecovered) in the same commit. A kiosk calls it at
// start: a session in progress then was cut off (the process was killed,
// the power failed). It returns how many it marked.
func (s *Store) RecoverInterrupted(ctx context.Context) (int64, error) {
	// only sessions begun here: one in progress at another kiosk of the
	// clinic network (its site named) goes on there
	ids, err := queryIDs(ctx, s.db, "SELECT id FROM sessions WHERE status = ? AND coalesce(site, '') = ''", intakekiosk.InProgress)
	if err != nil || len(ids) == 0 {
		if err != nil {
			err = fmt.Errorf("recover interrupted sessions: %w", classify(err))
		}
		return 0, err
	}
	var n int64
	err = s.kioskTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET status = ?,
			ended = coalesce((SELECT max(recorded) FROM records WHERE session_id = sessions.id), started)
			WHERE status = ? AND coalesce(site, '') = ''`, intakekiosk.Incomplete, intakekiosk.InProgress)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}, Entry{At: s.now(), Actor: ActorKiosk, Action: ActRecovered, Detail: fmt.Sprintf("%d sessions cut off", len(ids))}, ids)
	if err != nil {
		return 0, fmt.Errorf("recover interrupted sessions: %w", err)
	}
	return n, nil
}

// Filter selects sessions; zero fields select everything.
type Filter struct {
	Since, Until time.Time // by start
	// Standing selects by where sessions stand ("" for all).
	Standing intakekiosk.Standing
	Kind     intakekiosk.SessionKind
	// Patient selects one patient's sessions.
	Patient string
}

const sessionColumns = "id, kind, status, started, completed, ended, urgent, attention, printed, reviewed, reviewed_by, coalesce(patient_id, ''), " +
	"coalesce(site, ''), acked, acked_by"

// scanSession reads one row of sessionColumns.
func scanSession(row interface{ Scan(...any) error }) (intakekiosk.Session, error) {
	var ss intakekiosk.Session
	var started, completed, ended, printed, reviewed, acked sql.NullString
	err := row.Scan(&ss.ID, &ss.Kind, &ss.Status, &started, &completed, &ended, &ss.Urgent, &ss.Attention,
		&printed, &reviewed, &ss.ReviewedBy, &ss.PatientID, &ss.Site, &acked, &ss.AckedBy)
	if err != nil {
		return ss, err
	}
	for _, t := range []struct {
		to   *time.Time
		from sql.NullString
	}{{&ss.Started, started}, {&ss.Completed, completed}, {&ss.Ended, ended}, {&ss.Printed, printed}, {&ss.Reviewed, reviewed},
		{&ss.Acked, acked}} {
		if *t.to, err = parseTS(t.from); err != nil {
			break
		}
	}
	if err != nil {
		return ss, fmt.Errorf("session %s: %w", ss.ID, err)
	}
	return ss, nil
}

// Sessions lists sessions newest first.
func (s *Store) Sessions(ctx context.Context, f Filter) ([]intakekiosk.Session, error) {
	q := "SELECT " + sessionColumns + " FROM sessions"
	var where []string
	var args []any
	if !f.Since.IsZero() {
		where, args = append(where, "started >= ?"), append(args, ts(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "started < ?"), append(args, ts(f.Until))
	}
	switch f.Standing {
	case "":
	case intakekiosk.StandingInProgress:
		where, args = append(where, "status = ?"), append(args, intakekiosk.InProgress)
	case intakekiosk.StandingNew, intakekiosk.StandingIncomplete:
		st := intakekiosk.New
		if f.Standing == intakekiosk.StandingIncomplete {
			st = intakekiosk.Incomplete
		}
		where, args = append(where, "status = ? AND reviewed IS NULL"), append(args, st)
	case intakekiosk.StandingUnreviewed:
		where, args = append(where, "status != ? AND reviewed IS NULL"), append(args, intakekiosk.InProgress)
	case intakekiosk.StandingReviewed:
		where = append(where, "reviewed IS NOT NULL")
	case intakekiosk.StandingPrinted:
		where = append(where, "printed IS NOT NULL")
	default:
		return nil, fmt.Errorf("list sessions: %w", &fault.Error{Op: "status", Kind: fault.Invalid, Err: fmt.Errorf("unknown status %q", f.Standing)})
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.Patient != "" {
		where, args = append(where, "patient_id = ?"), append(args, f.Patient)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY started DESC, id DESC"
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", classify(err))
	}
	defer rows.Close()
	var out []intakekiosk.Session
	for rows.Next() {
		ss, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		out = append(out, ss)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", classify(err))
	}
	return out, nil
}

// Session returns one session's metadata.
func (s *Store) Session(ctx context.Context, id string) (intakekiosk.Session, error) {
	ss, err := scanSession(s.db.QueryRowContext(ctx, "SELECT "+sessionColumns+" FROM sessions WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return intakekiosk.Session{}, fmt.Errorf("session %s: %w", id, ErrNoSession)
	}
	if err != nil {
		return intakekiosk.Session{}, fmt.Errorf("read session: %w", classify(err))
	}
	return ss, nil
}

// Records returns a session's records in the order they were made,
// opened with the clinic key (a staff member is unlocked). A record that
// was changed, dropped or moved makes it fail, naming the record.
func (s *Store) Records(ctx context.Context, sessionID string, clinic *vault.ClinicKey) ([]intakekiosk.Record, error) {
	var out []intakekiosk.Record
	err := s.openRecords(ctx, clinic, sealedSource{
		id: sessionID, what: "records of session " + sessionID, missing: ErrNoSession, ad: recordAD,
		key:     "SELECT sealed_key FROM sessions WHERE id = ?",
		records: "SELECT r.recorded, r.payload, coalesce(w.id, ''), r.seq FROM " + withWriter("records") + " WHERE r.session_id = ? ORDER BY r.id",
	}, func(recorded time.Time, plain []byte) error {
		r := intakekiosk.Record{Recorded: recorded}
		err := json.Unmarshal(plain, &r.Payload)
		out = append(out, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// sealedSource says where the sealed records of a session or a patient
// are: the query of its sealed data key and of its records (each taking
// id), the place binding (ad), its name in errors, and the error when it
// is not there.
type sealedSource struct {
	id, what, key, records string
	missing                error
	ad                     func(id, writer string, seq int) string
}

// openRecords reads the records of src, then opens them with the clinic
// key (the connection is not held while decrypting) and gives each, in
// order, to each.
func (s *Store) openRecords(ctx context.Context, clinic *vault.ClinicKey, src sealedSource, each func(time.Time, []byte) error) error {
	var sealedKey []byte
	err := s.read.QueryRowContext(ctx, src.key, src.id).Scan(&sealedKey)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", src.what, src.missing)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", src.what, classify(err))
	}
	key, err := clinic.OpenSessionKey(s.rand, sealedKey)
	if err != nil {
		return fmt.Errorf("read %s: %w", src.what, err)
	}
	type row struct {
		recorded sql.NullString
		sealed   []byte
		writer   string
		seq      int
	}
	var sealed []row
	rows, err := s.read.QueryContext(ctx, src.records, src.id)
	if err != nil {
		return fmt.Errorf("read %s: %w", src.what, classify(err))
	}
	defer rows.Close()
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.recorded, &r.sealed, &r.writer, &r.seq); err != nil {
			return fmt.Errorf("read %s: %w", src.what, err)
		}
		sealed = append(sealed, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", src.what, classify(err))
	}
	rows.Close()
	// each writer's chain runs 1, 2, 3… in the order stored: a place
	// skipped is a record missing in the middle
	next := map[string]int{}
	for i, r := range sealed {
		recorded, err := parseTS(r.recorded)
		if err != nil {
			return fmt.Errorf("read %s: %w", src.what, err)
		}
		next[r.writer]++
		if r.seq != next[r.writer] {
			return fmt.Errorf("read %s: record %d of %s is missing: %w", src.what, next[r.writer], writerName(r.writer), vault.ErrDamaged)
		}
		plain, err := key.Open(src.ad(src.id, r.writer, r.seq), r.sealed)
		if err == nil {
			err = each(recorded, plain)
		}
		if err != nil {
			return fmt.Errorf("read %s: record %d is damaged: %w", src.what, i+1, vault.ErrDamaged)
		}
	}
	return nil
}

// writerName names a writer's chain in a message.
func writerName(w string) string {
	if w == intakekiosk.LegacyWriter {
		return "the older records"
	}
	return "writer " + w
}
