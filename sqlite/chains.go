package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"intakekiosk"
)

// The record chains. Each writer (a database: this kiosk, later a desk)
// keeps a chain of its own in each session and patient, its records
// numbered from 1 and each sealed bound to the owner, the writer and the
// number (chainAD), so a record changed, moved or taken from the middle
// does not open. What a chain's end is, is committed through the audit
// chain: every audit entry that ends a session, adds a note, a code or a
// plan, imports or deletes names each writer's count of the records it
// touched (counted), and Verify compares the newest counts with the
// records here, so a session cut short or missing altogether shows.

// ActorKiosk is the actor of what the kiosk itself puts on record: a
// session's end, its recovery after a crash.
const ActorKiosk = "kiosk"

// Audit actions of the record chains.
const (
	// ActSessionEnd: a session ended (submitted or cut off); its
	// records counted.
	ActSessionEnd = "session_end"
	// ActRecovered: sessions cut off by a crash, closed at the next
	// start; their records counted.
	ActRecovered = "sessions_recovered"
	// ActCounted: the records written before the chains, counted once
	// by the migration that made them.
	ActCounted = "records_counted"
)

// chainAD binds a record to its session or patient (owner, which names
// its kind: "patient:ID" for a patient), its writer and its place in the
// writer's chain. The legacy chain keeps the binding it was sealed with:
// owner#place.
func chainAD(owner, writer string, seq int) string {
	if writer == intakekiosk.LegacyWriter {
		return fmt.Sprintf("%s#%d", owner, seq)
	}
	return fmt.Sprintf("%s@%s#%d", owner, writer, seq)
}

// recordAD binds a session's record.
func recordAD(sessionID, writer string, seq int) string { return chainAD(sessionID, writer, seq) }

// patientAD binds a patient's record.
func patientAD(patientID, writer string, seq int) string {
	return chainAD("patient:"+patientID, writer, seq)
}

// Writer is this database's name as a writer of records: a random id made
// when it was first opened.
func (s *Store) Writer() string { return s.writer }

// loadWriter reads this database's writer id, making it the first time.
func (s *Store) loadWriter(ctx context.Context) error {
	err := s.db.QueryRowContext(ctx, "SELECT writer FROM node WHERE one = 1").Scan(&s.writer)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id, err := uuid.NewRandomFromReader(s.rand)
		if err != nil {
			return err
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO node (one, writer) VALUES (1, ?)", id.String())
			return err
		})
		if err != nil {
			return err
		}
		s.writer = id.String()
	case err != nil:
		return classify(err)
	}
	// its number: read, or given in a write the first time only
	err = s.db.QueryRowContext(ctx, "SELECT n FROM writers WHERE id = ?", s.writer).Scan(&s.writerN)
	if !errors.Is(err, sql.ErrNoRows) {
		return classify(err)
	}
	return s.tx(ctx, func(tx *sql.Tx) (err error) {
		s.writerN, err = writerNumber(ctx, tx, s.writer)
		return err
	})
}

// writerNumber is writer id's number in the writers table, given it the
// first time; the legacy chain's is 0.
func writerNumber(ctx context.Context, tx *sql.Tx, id string) (int64, error) {
	if id == intakekiosk.LegacyWriter {
		return 0, nil
	}
	var n int64
	err := tx.QueryRowContext(ctx, "SELECT n FROM writers WHERE id = ?", id).Scan(&n)
	if !errors.Is(err, sql.ErrNoRows) {
		return n, err
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO writers (id) VALUES (?)", id)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// withWriter is the FROM clause of a chain table t's records with their
// writer's id (the legacy chain, writer 0, has no row: its id reads as "").
func withWriter(table string) string {
	return table + " r LEFT JOIN writers w ON w.n = r.writer"
}

// counted is what an audit entry commits of the record chains: per
// session and per patient, each writer's count of records; and the
// sessions and patients deleted. Stored as JSON in the entry's chain
// (encoding/json writes map keys sorted: the same counts give the same
// text, and so the same hash).
type counted struct {
	Sessions       map[string]map[string]int `json:"s,omitempty"`
	Patients       map[string]map[string]int `json:"p,omitempty"`
	PurgedSessions []string                  `json:"purged_s,omitempty"`
	PurgedPatients []string                  `json:"purged_p,omitempty"`
}

func (c *counted) empty() bool {
	return len(c.Sessions) == 0 && len(c.Patients) == 0 && len(c.PurgedSessions) == 0 && len(c.PurgedPatients) == 0
}

func (c *counted) text() string {
	if c.empty() {
		return ""
	}
	b, _ := json.Marshal(c) // maps of strings and ints: never fails
	return string(b)
}

// chainTables names where each owner kind's records are.
var chainTables = map[bool]struct{ table, column string }{
	false: {"records", "session_id"},
	true:  {"patient_records", "patient_id"},
}

// count adds the counts of owner id's chains as they are in tx.
func (c *counted) count(ctx context.Context, tx *sql.Tx, patient bool, id string) error {
	t := chainTables[patient]
	rows, err := tx.QueryContext(ctx, "SELECT coalesce(w.id, ''), count(*) FROM "+withWriter(t.table)+" WHERE r."+t.column+" = ? GROUP BY r.writer", id)
	if err != nil {
		return err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var w string
		var n int
		if err := rows.Scan(&w, &n); err != nil {
			return err
		}
		counts[w] = n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if patient {
		if c.Patients == nil {
			c.Patients = map[string]map[string]int{}
		}
		c.Patients[id] = counts
	} else {
		if c.Sessions == nil {
			c.Sessions = map[string]map[string]int{}
		}
		c.Sessions[id] = counts
	}
	return nil
}

// countedEntry appends e to the audit log in tx, committing the counts of
// the chains of the sessions and patients named, as they are in tx.
func countedEntry(ctx context.Context, tx *sql.Tx, e Entry, sessions, patients []string) error {
	var c counted
	return c.entry(ctx, tx, e, sessions, patients)
}

// entry appends e to the audit log in tx, committing c's counts and those
// of the chains of the sessions and patients named, as they are in tx.
func (c *counted) entry(ctx context.Context, tx *sql.Tx, e Entry, sessions, patients []string) error {
	for _, id := range sessions {
		if err := c.count(ctx, tx, false, id); err != nil {
			return err
		}
	}
	for _, id := range patients {
		if err := c.count(ctx, tx, true, id); err != nil {
			return err
		}
	}
	e.chain = c.text()
	return appendAudit(ctx, tx, e)
}

// kioskTx runs fn, the kiosk's own change to a patient's session, with its
// audit entry e counting the session's records, in one transaction. When
// the audit log refuses the entry (it disagrees with its head file: it was
// tampered with, which verify and staff mode say) the change is still
// made, without the entry: a patient is never turned away for it.
func (s *Store) kioskTx(ctx context.Context, fn func(*sql.Tx) error, e Entry, sessions []string) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return countedEntry(ctx, tx, e, sessions, nil)
	})
	if errors.Is(err, ErrAuditBroken) {
		return s.tx(ctx, fn)
	}
	return err
}

// chainsMigration is the migration that made the chains.
const chainsMigration = 9

// countLegacy commits the counts of every record written before the
// chains (migration 0009), in its transaction: one audit entry, when the
// database has been set up and holds any (added says so).
func countLegacy(ctx context.Context, tx *sql.Tx, at time.Time) (added bool, err error) {
	var head int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM audit_head").Scan(&head); err != nil || head == 0 {
		return false, err
	}
	var c counted
	for _, patient := range []bool{false, true} {
		t := chainTables[patient]
		rows, err := tx.QueryContext(ctx, "SELECT "+t.column+", count(*) FROM "+t.table+" GROUP BY "+t.column)
		if err != nil {
			return false, err
		}
		m := map[string]map[string]int{}
		for rows.Next() {
			var id string
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return false, err
			}
			m[id] = map[string]int{intakekiosk.LegacyWriter: n}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
		if patient {
			c.Patients = m
		} else {
			c.Sessions = m
		}
	}
	// a session without records is counted too: it is there
	empty, err := queryIDs(ctx, tx, "SELECT id FROM sessions WHERE status != ? AND id NOT IN (SELECT session_id FROM records)", intakekiosk.InProgress)
	if err != nil {
		return false, err
	}
	for _, id := range empty {
		if c.Sessions == nil {
			c.Sessions = map[string]map[string]int{}
		}
		c.Sessions[id] = map[string]int{}
	}
	if c.empty() {
		return false, nil
	}
	err = appendAudit(ctx, tx, Entry{At: at, Actor: ActorKiosk, Action: ActCounted,
		Detail: fmt.Sprintf("%d sessions and %d patients of the records before the chains", len(c.Sessions), len(c.Patients)),
		chain:  c.text()})
	if errors.Is(err, ErrAuditBroken) {
		// a log already tampered with takes no entry (verify says so);
		// the database still opens
		return false, nil
	}
	return err == nil, err
}

// ChainProblem is a session or patient whose records do not match what
// the audit log counted of them.
type ChainProblem struct {
	// Patient is true for a returning patient's records.
	Patient bool
	ID      string
	// Missing is true when it is not here at all.
	Missing bool
	// Writer and Lost name a chain cut short: how many of its last
	// records are gone (Lost > 0), or Gap its first missing place in
	// the middle.
	Writer    string
	Lost, Gap int
	// Uncounted: it is here, finished, yet no audit entry counts it.
	Uncounted bool
}

// String says what is wrong, in kioskctl's words.
func (p ChainProblem) String() string {
	what := "session " + p.ID
	if p.Patient {
		what = "patient " + p.ID
	}
	w := writerName(p.Writer)
	switch {
	case p.Missing:
		return what + " is missing altogether: the audit log counted its records, and no purge deleted it"
	case p.Lost > 0:
		return fmt.Sprintf("%s is missing its last %d record(s) of %s", what, p.Lost, w)
	case p.Gap > 0:
		return fmt.Sprintf("%s is missing record %d of %s (in the middle)", what, p.Gap, w)
	case p.Uncounted:
		return what + " is in no audit entry: it was added outside the kiosk, or its entry was lost"
	}
	return what + " is not as counted"
}

// VerifyChains compares each session's and patient's records with the
// newest counts the audit log holds of them: a session or patient missing
// altogether (and not purged), a chain missing its tail, a place missing
// in the middle, a finished session no entry counts. It opens nothing
// sealed (kioskctl verify, without a staff sign-in); run it after
// VerifyAudit, whose chain it trusts.
func (s *Store) VerifyChains(ctx context.Context) ([]ChainProblem, error) {
	claims := [2]map[string]map[string]int{{}, {}}
	rows, err := s.read.QueryContext(ctx, "SELECT chain FROM audit WHERE chain != '' ORDER BY seq")
	if err != nil {
		return nil, fmt.Errorf("verify records: %w", classify(err))
	}
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			rows.Close()
			return nil, fmt.Errorf("verify records: %w", err)
		}
		var c counted
		if err := json.Unmarshal([]byte(text), &c); err != nil {
			rows.Close()
			return nil, fmt.Errorf("verify records: %w: an entry's counts do not read", ErrAuditBroken)
		}
		for i, m := range []map[string]map[string]int{c.Sessions, c.Patients} {
			for id, counts := range m {
				claims[i][id] = counts
			}
		}
		for i, gone := range [][]string{c.PurgedSessions, c.PurgedPatients} {
			for _, id := range gone {
				delete(claims[i], id)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("verify records: %w", classify(err))
	}
	var problems []ChainProblem
	for i, patient := range []bool{false, true} {
		have, err := s.chainsHere(ctx, patient)
		if err != nil {
			return nil, err
		}
		for id, counts := range claims[i] {
			o, ok := have[id]
			if !ok {
				problems = append(problems, ChainProblem{Patient: patient, ID: id, Missing: true})
				continue
			}
			for w, n := range counts {
				if c := o.chains[w]; c.count < n {
					problems = append(problems, ChainProblem{Patient: patient, ID: id, Writer: w, Lost: n - c.count})
				}
			}
		}
		for id, o := range have {
			for w, c := range o.chains {
				if c.last != c.count {
					gap, err := s.firstGap(ctx, patient, id, w)
					if err != nil {
						return nil, err
					}
					problems = append(problems, ChainProblem{Patient: patient, ID: id, Writer: w, Gap: gap})
				}
			}
			if _, ok := claims[i][id]; !ok && !patient && !o.open {
				problems = append(problems, ChainProblem{ID: id, Uncounted: true})
			}
		}
	}
	sort.Slice(problems, func(a, b int) bool {
		if problems[a].ID != problems[b].ID {
			return problems[a].ID < problems[b].ID
		}
		return problems[a].Writer < problems[b].Writer
	})
	return problems, nil
}

// chainHere is one writer's chain of an owner as it is here: how many
// records, and the last place.
type chainHere struct{ count, last int }

// firstGap is the first place missing in the middle of a chain.
func (s *Store) firstGap(ctx context.Context, patient bool, id, writer string) (int, error) {
	t := chainTables[patient]
	rows, err := s.read.QueryContext(ctx, "SELECT r.seq FROM "+withWriter(t.table)+" WHERE r."+t.column+" = ? AND coalesce(w.id, '') = ? ORDER BY r.seq", id, writer)
	if err != nil {
		return 0, fmt.Errorf("verify records: %w", classify(err))
	}
	defer rows.Close()
	want := 1
	for rows.Next() {
		var seq int
		if err := rows.Scan(&seq); err != nil {
			return 0, fmt.Errorf("verify records: %w", err)
		}
		if seq != want {
			return want, nil
		}
		want++
	}
	return want, classify(rows.Err())
}

// chainsHere reads every owner's chains of one kind, by owner id.
func (s *Store) chainsHere(ctx context.Context, patient bool) (map[string]ownerHere, error) {
	t := chainTables[patient]
	owners := "SELECT id, status = 'in_progress' FROM sessions"
	if patient {
		owners = "SELECT id, 0 FROM patients"
	}
	out := map[string]ownerHere{}
	rows, err := s.read.QueryContext(ctx, owners)
	if err != nil {
		return nil, fmt.Errorf("verify records: %w", classify(err))
	}
	for rows.Next() {
		var id string
		var open bool
		if err := rows.Scan(&id, &open); err != nil {
			rows.Close()
			return nil, fmt.Errorf("verify records: %w", err)
		}
		out[id] = ownerHere{chains: map[string]chainHere{}, open: open}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("verify records: %w", classify(err))
	}
	rows, err = s.read.QueryContext(ctx, "SELECT r."+t.column+", coalesce(w.id, ''), count(*), max(r.seq) FROM "+withWriter(t.table)+" GROUP BY r."+t.column+", r.writer")
	if err != nil {
		return nil, fmt.Errorf("verify records: %w", classify(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id, w string
		var c chainHere
		if err := rows.Scan(&id, &w, &c.count, &c.last); err != nil {
			return nil, fmt.Errorf("verify records: %w", err)
		}
		if o, ok := out[id]; ok {
			o.chains[w] = c
		}
	}
	return out, classify(rows.Err())
}

// ownerHere is a session or patient here: its chains by writer, and open
// for a session still in progress (the kiosk counts it when it ends).
type ownerHere struct {
	chains map[string]chainHere
	open   bool
}
