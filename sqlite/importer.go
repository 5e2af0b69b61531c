package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"intakekiosk"
	"intakekiosk/exchange"
)

// Importer adds sealed sessions and patients in one transaction: Import
// makes one, the caller adds, and Commit or Rollback ends it.
//
// A session or patient already here is brought up to date when the
// bundle's copy carries later records (a counselor's note, a taper plan,
// a new code) after the ones here; records are sealed to their place, so
// a copy that took other records at the same places here is left as it
// is and counted as differing.
type Importer struct {
	s  *Store
	tx *sql.Tx
	// site is where the bundle came from
	site  string
	count ImportCounts
	// prepared once for the whole import
	started, session *sql.Stmt
	// inserts records in one statement, by table and count
	inserts map[string]*sql.Stmt
	// changed are the sessions and patients here before that took
	// records: the audit entry at Commit counts their chains, beside
	// added, those new here as they came (their chains are the copy's)
	changedSessions, changedPatients []string
	added                            counted
	// writers are the writers' numbers here, by id, as looked up
	writers map[string]int64
	// live is a pull from the clinic network's server: sessions still
	// in progress at a kiosk come too, and what it changes here is not
	// heard as a change of this node's (not pushed back)
	live bool
	// done: committed or rolled back (the store's audit lock let go)
	done bool
}

// writer is writer id's number here (given it the first time).
func (im *Importer) writer(ctx context.Context, id string) (int64, error) {
	if n, ok := im.writers[id]; ok {
		return n, nil
	}
	n, err := writerNumber(ctx, im.tx, id)
	if err != nil {
		return 0, classify(err)
	}
	im.writers[id] = n
	return n, nil
}

// ImportCounts say what an import did with the bundle's sessions.
type ImportCounts struct {
	// Added are new here; Updated were here and took later records from
	// the bundle; Existing were here as they are in the bundle (or with
	// more).
	Added, Updated, Existing int
	// Differ were here with other records than the bundle's after the
	// ones both have, and were left as they are; DifferIDs names them.
	Differ    int
	DifferIDs []string
	// PatientsAdded are returning patients new here; PatientsUpdated
	// took later records (a plan, a new code).
	PatientsAdded, PatientsUpdated int
	// PatientsDiffer were left as they are, as Differ;
	// PatientsDifferIDs names them.
	PatientsDiffer    int
	PatientsDifferIDs []string
}

// ErrImportConflict: a session in the bundle has the id of a different
// session here.
var ErrImportConflict = errors.New("a session of the bundle has the id of a different session here")

// Import starts adding sealed sessions from site (a bundle) in one
// transaction: nothing is kept unless Commit is called.
func (s *Store) Import(ctx context.Context, site string) (*Importer, error) {
	return s.importer(ctx, site, false)
}

func (s *Store) importer(ctx context.Context, site string, live bool) (*Importer, error) {
	// held until Commit or Rollback: the import's audit entry and the
	// head file's update are one step with every other audited commit
	s.auditMu.Lock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		s.auditMu.Unlock()
		return nil, fmt.Errorf("import: %w", classify(err))
	}
	// a bundle lists its patients after the sessions that name them
	if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		tx.Rollback()
		s.auditMu.Unlock()
		return nil, fmt.Errorf("import: %w", classify(err))
	}
	if live {
		if _, err := tx.ExecContext(ctx, "UPDATE change_clock SET quiet = 1"); err != nil {
			tx.Rollback()
			s.auditMu.Unlock()
			return nil, fmt.Errorf("import: %w", classify(err))
		}
	}
	im := &Importer{s: s, tx: tx, site: site, live: live, inserts: map[string]*sql.Stmt{}, writers: map[string]int64{},
		added: counted{Sessions: map[string]map[string]int{}, Patients: map[string]map[string]int{}}}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&im.started, `SELECT started, status, coalesce(completed, ''), coalesce(ended, ''), urgent, attention, coalesce(printed, ''),
			coalesce(reviewed, ''), reviewed_by, coalesce(acked, ''), acked_by, coalesce(patient_id, '') FROM sessions WHERE id = ?`},
		{&im.session, `INSERT INTO sessions (id, kind, status, started, completed, ended, urgent, attention, printed, reviewed,
			reviewed_by, acked, acked_by, sealed_key, patient_id, site)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
	} {
		if *p.st, err = tx.PrepareContext(ctx, p.q); err != nil {
			tx.Rollback()
			s.auditMu.Unlock()
			return nil, fmt.Errorf("import: %w", classify(err))
		}
	}
	return im, nil
}

// Session adds a sealed session. One already here with the same id and
// start takes the bundle's later records, if any, its concern, and its
// printed and reviewed marks where it has none (exchange.Merge);
// importing twice adds nothing.
func (im *Importer) Session(ctx context.Context, ss intakekiosk.SealedSession) error {
	_, err := im.SessionFrom(ctx, ss, im.site)
	return err
}

// SessionFrom adds a sealed session as Session does, from site (the
// kiosk or satellite it began at, kept when it is new here). A pull from
// the clinic network's server also takes sessions still in progress. It
// says whether the session here changed (new, or more records or marks).
func (im *Importer) SessionFrom(ctx context.Context, ss intakekiosk.SealedSession, site string) (changed bool, err error) {
	if err := checkFinished(ss.Kind, ss.Status); err != nil && !(im.live && ss.Status == intakekiosk.InProgress) {
		return false, fmt.Errorf("session %s: %w", ss.ID, err)
	}
	if err := checkStored(ss.Records, ss.SealedKey, ss.Started, ss.Completed, ss.Ended); err != nil {
		return false, fmt.Errorf("session %s: %w", ss.ID, err)
	}
	here, err := im.held(ctx, ss.ID, ss.Records)
	if err != nil {
		return false, fmt.Errorf("session %s: %w", ss.ID, err)
	}
	plan := exchange.Merge(here, ss)
	switch plan.Outcome {
	case exchange.Conflict:
		return false, fmt.Errorf("session %s: %w", ss.ID, ErrImportConflict)
	case exchange.Added:
		_, err = im.session.ExecContext(ctx, ss.ID, ss.Kind, ss.Status, ss.Started, nullText(ss.Completed), nullText(ss.Ended), ss.Urgent,
			ss.Attention, nullText(ss.Printed), nullText(ss.Reviewed), ss.ReviewedBy, nullText(ss.Acked), ss.AckedBy, ss.SealedKey,
			nullText(ss.PatientID), nullText(site))
		if err != nil {
			return false, fmt.Errorf("session %s: %w", ss.ID, classify(err))
		}
	}
	if err := im.insert(ctx, false, ss.ID, plan.Later); err != nil {
		return false, fmt.Errorf("session %s: %w", ss.ID, err)
	}
	switch {
	case plan.Outcome == exchange.Added:
		im.added.Sessions[ss.ID] = exchange.Tails(ss.Records)
	case len(plan.Later) > 0:
		im.changedSessions = append(im.changedSessions, ss.ID)
	}
	if plan.Changes(here) {
		_, err := im.tx.ExecContext(ctx, `UPDATE sessions SET status = ?, completed = ?, ended = ?, urgent = ?, attention = ?, printed = ?,
			reviewed = ?, reviewed_by = ?, acked = ?, acked_by = ?, patient_id = ? WHERE id = ?`,
			plan.Status, nullText(plan.Completed), nullText(plan.Ended), plan.Urgent, plan.Attention, nullText(plan.Printed),
			nullText(plan.Reviewed), plan.ReviewedBy, nullText(plan.Acked), plan.AckedBy, nullText(plan.PatientID), ss.ID)
		if err != nil {
			return false, fmt.Errorf("session %s: %w", ss.ID, classify(err))
		}
	}
	switch plan.Outcome {
	case exchange.Added:
		im.count.Added++
	case exchange.Differ:
		im.count.Differ++
		im.count.DifferIDs = append(im.count.DifferIDs, ss.ID)
	case exchange.Updated:
		im.count.Updated++
	default:
		im.count.Existing++
		return false, nil
	}
	return true, nil
}

// held is the session here with the id, as a merge with a copy of
// theirs records compares it (nil: not here).
func (im *Importer) held(ctx context.Context, id string, theirs []intakekiosk.SealedRecord) (*exchange.Held, error) {
	var h exchange.Held
	err := im.started.QueryRowContext(ctx, id).Scan(&h.Started, &h.Status, &h.Completed, &h.Ended, &h.Urgent, &h.Attention, &h.Printed,
		&h.Reviewed, &h.ReviewedBy, &h.Acked, &h.AckedBy, &h.PatientID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, classify(err)
	}
	if h.Chains, err = im.chains(ctx, false, id, theirs); err != nil {
		return nil, err
	}
	return &h, nil
}

// chains reads the chains here of session or patient id that theirs
// records have, as a merge with them compares them: each one's count and
// the record at its ComparePlace.
func (im *Importer) chains(ctx context.Context, patient bool, id string, theirs []intakekiosk.SealedRecord) (exchange.Chains, error) {
	t := chainTables[patient]
	out := exchange.Chains{}
	for w, tail := range exchange.Tails(theirs) {
		var c exchange.Chain
		n, err := im.writer(ctx, w)
		if err != nil {
			return nil, err
		}
		if err := im.tx.QueryRowContext(ctx, "SELECT count(*) FROM "+t.table+" WHERE "+t.column+" = ? AND writer = ?", id, n).Scan(&c.Count); err != nil {
			return nil, classify(err)
		}
		if k := exchange.ComparePlace(c.Count, tail); k > 0 {
			err := im.tx.QueryRowContext(ctx, "SELECT payload FROM "+t.table+" WHERE "+t.column+" = ? AND writer = ? AND seq = ?", id, n, k).Scan(&c.Compare)
			if err != nil {
				return nil, classify(err)
			}
		}
		out[w] = c
	}
	return out, nil
}

// Put adds an item: the Importer is a sink of the exchange.
func (im *Importer) Put(ctx context.Context, it exchange.Item) error {
	switch {
	case it.Session != nil:
		return im.Session(ctx, *it.Session)
	case it.Patient != nil:
		return im.Patient(ctx, *it.Patient)
	}
	return nil
}

// checkStored checks what an import writes as it is: a sealed key, and
// times in the stored form (the queue, exports and the "changed since
// exported" comparison read them as text). The first time is required,
// the others may be empty.
func checkStored(recs []intakekiosk.SealedRecord, sealedKey []byte, first string, more ...string) error {
	if len(sealedKey) == 0 {
		return errors.New("no sealed key")
	}
	stored := func(s string) bool {
		t, err := time.Parse(tsLayout, s)
		return err == nil && ts(t) == s
	}
	if !stored(first) {
		return errors.New("a time is not in the stored form")
	}
	for _, s := range more {
		if s != "" && !stored(s) {
			return errors.New("a time is not in the stored form")
		}
	}
	for i, r := range recs {
		if !stored(r.Recorded) || len(r.Payload) == 0 {
			return fmt.Errorf("record %d: no payload, or its time is not in the stored form", i+1)
		}
	}
	if i, ok := exchange.CheckChains(recs); !ok {
		return fmt.Errorf("record %d: out of its place in its writer's chain", i+1)
	}
	return nil
}

// insert adds records of session or patient id, 200 to a statement: a
// bundle holds millions of them.
func (im *Importer) insert(ctx context.Context, patient bool, id string, recs []intakekiosk.SealedRecord) error {
	t := chainTables[patient]
	for rest := recs; len(rest) > 0; {
		n := min(len(rest), 200)
		key := fmt.Sprintf("%s/%d", t.table, n)
		st, ok := im.inserts[key]
		if !ok {
			q := "INSERT INTO " + t.table + " (" + t.column + ", recorded, payload, writer, seq) VALUES " +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", n), ", ")
			var err error
			if st, err = im.tx.PrepareContext(ctx, q); err != nil {
				return classify(err)
			}
			im.inserts[key] = st
		}
		args := make([]any, 0, 5*n)
		for _, r := range rest[:n] {
			w, err := im.writer(ctx, r.Writer)
			if err != nil {
				return err
			}
			args = append(args, id, r.Recorded, r.Payload, w, r.Seq)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return classify(err)
		}
		rest = rest[n:]
	}
	return nil
}

// Patient adds a sealed patient (after the sessions that name it). One
// already here takes the bundle's later records (a taper plan, a new
// code, and then the new code's hash).
func (im *Importer) Patient(ctx context.Context, p intakekiosk.SealedPatient) error {
	if len(p.CodeHash) == 0 {
		return fmt.Errorf("patient %s: no code hash", p.ID)
	}
	if err := checkStored(p.Records, p.SealedKey, p.Created); err != nil {
		return fmt.Errorf("patient %s: %w", p.ID, err)
	}
	if err := p.CheckAsked(); err != nil {
		return fmt.Errorf("patient %s: %w", p.ID, err)
	}
	var one int
	err := im.tx.QueryRowContext(ctx, "SELECT 1 FROM patients WHERE id = ?", p.ID).Scan(&one)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return classify(err)
	}
	var chains exchange.Chains
	held := err == nil
	if held {
		if chains, err = im.chains(ctx, true, p.ID, p.Records); err != nil {
			return fmt.Errorf("patient %s: %w", p.ID, err)
		}
	}
	outcome, later := exchange.MergePatient(held, chains, p)
	switch outcome {
	case exchange.Differ:
		im.count.PatientsDiffer++
		im.count.PatientsDifferIDs = append(im.count.PatientsDifferIDs, p.ID)
		return nil
	case exchange.Existing:
		return im.asked(ctx, p)
	case exchange.Updated:
		if err := im.insert(ctx, true, p.ID, later); err != nil {
			return fmt.Errorf("patient %s: %w", p.ID, err)
		}
		im.changedPatients = append(im.changedPatients, p.ID)
		// the code in force goes with its check-in hash and box; a copy
		// without them (of an older release) keeps ours for the same code
		if _, err := im.tx.ExecContext(ctx, `UPDATE patients SET
			birth_hash = CASE WHEN ? IS NULL AND code_hash = ? THEN birth_hash ELSE ? END,
			checkin_sealed = CASE WHEN ? IS NULL AND code_hash = ? THEN checkin_sealed ELSE ? END,
			code_hash = ? WHERE id = ?`,
			p.BirthHash, p.CodeHash, p.BirthHash, p.BirthHash, p.CodeHash, p.CheckinSealed, p.CodeHash, p.ID); err != nil {
			return fmt.Errorf("patient %s: %w", p.ID, classify(err))
		}
		im.count.PatientsUpdated++
		return im.asked(ctx, p)
	}
	if _, err := im.tx.ExecContext(ctx, "INSERT INTO patients (id, code_hash, birth_hash, checkin_sealed, sealed_key, created) VALUES (?, ?, ?, ?, ?, ?)",
		p.ID, p.CodeHash, p.BirthHash, p.CheckinSealed, p.SealedKey, p.Created); err != nil {
		return fmt.Errorf("patient %s: %w", p.ID, classify(err))
	}
	if err := im.insert(ctx, true, p.ID, p.Records); err != nil {
		return fmt.Errorf("patient %s: %w", p.ID, err)
	}
	im.added.Patients[p.ID] = exchange.Tails(p.Records)
	im.count.PatientsAdded++
	return im.asked(ctx, p)
}

// asked takes the days an incoming patient was last asked each instrument
// where they are later than here's.
func (im *Importer) asked(ctx context.Context, p intakekiosk.SealedPatient) error {
	if _, err := mergeAsked(ctx, im.tx, p.ID, p.Asked); err != nil {
		return fmt.Errorf("patient %s: %w", p.ID, classify(err))
	}
	return nil
}

// Counts says what the import did so far.
func (im *Importer) Counts() ImportCounts { return im.count }

// Commit keeps what was added, with the audit entry e, which counts the
// records of every session and patient that took any.
func (im *Importer) Commit(ctx context.Context, e Entry) error {
	if im.done {
		return fmt.Errorf("import: %w", sql.ErrTxDone)
	}
	im.close()
	im.done = true
	defer im.s.auditMu.Unlock()
	if err := im.s.checkHead(ctx, im.tx); err != nil {
		im.tx.Rollback()
		return fmt.Errorf("import: %w", err)
	}
	if err := im.added.entry(ctx, im.tx, e, im.changedSessions, im.changedPatients); err != nil {
		im.tx.Rollback()
		return fmt.Errorf("import: %w", err)
	}
	if im.live {
		if _, err := im.tx.ExecContext(ctx, "UPDATE change_clock SET quiet = 0"); err != nil {
			im.tx.Rollback()
			return fmt.Errorf("import: %w", classify(err))
		}
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
	if im.done {
		return
	}
	im.close()
	im.done = true
	im.tx.Rollback()
	im.s.auditMu.Unlock()
}

func (im *Importer) close() {
	for _, st := range []*sql.Stmt{im.started, im.session} {
		if st != nil {
			st.Close()
		}
	}
	for _, st := range im.inserts {
		st.Close()
	}
}

// nullText is a stored text, NULL for "".
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
