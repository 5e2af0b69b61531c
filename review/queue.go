package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/summary"
	"intakekiosk/vault"
)

// Summary is what a queue row shows of a session beyond its metadata:
// who (first name and last initial), and the key scores.
type Summary struct {
	Identity screening.Identity
	// Scores are the totals of the scored instruments, in session order.
	Scores []summary.ScoreFact
	// RedFlags counts the reasons for medical supervision raised.
	RedFlags int
	// Help says the patient pressed "I need help now".
	Help bool
	// Why are the reasons the session is urgent or needs attention, in a
	// few words each, most pressing first (the row leads with them).
	Why []string
	// Notes counts the counselors' notes.
	Notes int
	// Code is the patient's check-in code, when the session is linked
	// to one (a check-in, or a screening given a code).
	Code string
	// Damaged is set when the session's records did not open; the row
	// says so and the rest is empty.
	Damaged bool
}

// Short is the name as the queue shows it: first name and last initial
// ("Ana R."), so a screen seen over a shoulder names nobody fully.
func (s *Summary) Short() string {
	first := strings.TrimSpace(s.Identity.First)
	last := []rune(strings.TrimSpace(s.Identity.Last))
	switch {
	case first == "" && len(last) == 0:
		return ""
	case len(last) == 0:
		return first
	}
	return strings.TrimSpace(first + " " + string(last[0]) + ".")
}

// summarize makes the queue's summary of a session read back.
func summarize(d Detail) *Summary {
	s := &Summary{Identity: d.Identity, Help: d.HelpRequested, Notes: len(d.Notes)}
	f, err := summary.Describe(d.Input("", time.Time{}, nil))
	if err != nil {
		return s
	}
	s.Why = f.Why
	for _, sc := range f.Scores {
		if !sc.Skipped {
			s.Scores = append(s.Scores, sc)
		}
	}
	s.RedFlags = len(f.RedFlags)
	return s
}

// Row is one line of the queue.
type Row struct {
	Session intakekiosk.Session
	// Summary is nil until the session has been opened (Index.Open).
	Summary *Summary
}

// Pinned says the row belongs at the top of the queue: urgent or needing
// attention, and not yet reviewed (a print does not unpin it). A reviewed
// urgent session keeps its marker but takes its place in time order.
func (r Row) Pinned() bool { return r.Session.Pinned() }

// Index holds the summaries of the sessions opened since unlock, so that a
// search opens each sealed session once. It is safe for concurrent use.
// Dropping it (at lock) forgets every summary.
type Index struct {
	src     Source
	key     *vault.ClinicKey
	cat     *screening.Catalog
	workers int

	mu   sync.Mutex
	seen map[string]*Summary
	// patients caches what a patient's rows show: the identity of their
	// screening and their check-in code
	patients map[string]patientInfo
}

// patientInfo is what the queue shows of a patient beyond a session.
type patientInfo struct {
	identity screening.Identity
	code     string
}

// NewIndex returns an empty index that opens sessions with key.
func NewIndex(src Source, key *vault.ClinicKey, cat *screening.Catalog) *Index {
	return &Index{src: src, key: key, cat: cat, workers: max(1, runtime.GOMAXPROCS(0)),
		seen: map[string]*Summary{}, patients: map[string]patientInfo{}}
}

// Range lists the sessions started in [from, to) (a zero bound is open),
// urgent ones still to review first, then newest first, with the
// summaries already known.
func (x *Index) Range(ctx context.Context, from, to time.Time) ([]Row, error) {
	list, err := x.src.Sessions(ctx, sqlite.Filter{Since: from, Until: to})
	if err != nil {
		return nil, err
	}
	rows := make([]Row, len(list))
	x.mu.Lock()
	for i, s := range list {
		rows[i] = Row{Session: s, Summary: x.seen[s.ID]}
	}
	x.mu.Unlock()
	Sort(rows)
	return rows, nil
}

// Sort puts rows in queue order: pinned first, then newest first (ties by
// id, so the order is stable).
func Sort(rows []Row) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		if a.Pinned() != b.Pinned() {
			if a.Pinned() {
				return -1
			}
			return 1
		}
		if c := b.Session.Started.Compare(a.Session.Started); c != 0 {
			return c
		}
		return cmp.Compare(b.Session.ID, a.Session.ID)
	})
}

// Open fills in the summary of every row not yet known, opening each
// session with the clinic key on a few goroutines, and calls progress
// (from those goroutines) as they finish. It returns how many sessions it
// opened, also when it stops early: each was read, and the caller audits
// that. A session whose records do not open is summarized as damaged, not
// an error; a storage error or the end of ctx stops it.
func (x *Index) Open(ctx context.Context, rows []Row, progress func(done, total int)) (int, error) {
	var todo []int
	x.mu.Lock()
	for i := range rows {
		if s, ok := x.seen[rows[i].Session.ID]; ok {
			rows[i].Summary = s
		} else {
			todo = append(todo, i)
		}
	}
	x.mu.Unlock()
	if len(todo) == 0 {
		return 0, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		done     int
		firstErr error
	)
	for range min(x.workers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				s, err := x.summary(ctx, rows[i].Session)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				if err == nil {
					rows[i].Summary = s
					done++
					if progress != nil {
						progress(done, len(todo))
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, i := range todo {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return done, fmt.Errorf("open sessions: %w", firstErr)
	}
	return done, nil
}

// summary opens one session and remembers its summary.
func (x *Index) summary(ctx context.Context, ss intakekiosk.Session) (*Summary, error) {
	d, err := Open(ctx, x.src, ss, x.key, x.cat)
	var s *Summary
	switch {
	case err == nil:
		s = summarize(d)
		if ss.PatientID != "" {
			p, err := x.patient(ctx, ss.PatientID)
			if err != nil {
				return nil, err
			}
			s.Code = p.code
			if ss.Kind == intakekiosk.Checkin {
				// a check-in asks no name: the screening's tells who
				s.Identity = p.identity
			}
		}
	case errors.Is(err, vault.ErrDamaged) || errors.Is(err, vault.ErrNotForThisKey):
		s = &Summary{Damaged: true}
	default:
		return nil, err
	}
	x.mu.Lock()
	x.seen[ss.ID] = s
	x.mu.Unlock()
	return s, nil
}

// Patient returns who a patient said they were at screening and their
// check-in code, read once and remembered until the lock.
func (x *Index) Patient(ctx context.Context, id string) (screening.Identity, string, error) {
	p, err := x.patient(ctx, id)
	return p.identity, p.code, err
}

// patient returns what the queue shows of a patient, read once.
func (x *Index) patient(ctx context.Context, id string) (patientInfo, error) {
	x.mu.Lock()
	p, ok := x.patients[id]
	x.mu.Unlock()
	if ok {
		return p, nil
	}
	src, ok := x.src.(PatientSource)
	if !ok {
		return p, nil
	}
	info, err := LoadPatientInfo(ctx, src, id, x.key, x.cat)
	if err != nil {
		if errors.Is(err, vault.ErrDamaged) || errors.Is(err, vault.ErrNotForThisKey) {
			return p, nil
		}
		return p, err
	}
	p = patientInfo{identity: info.Identity, code: info.Code}
	x.mu.Lock()
	x.patients[id] = p
	x.mu.Unlock()
	return p, nil
}

// Forget drops a session's summary, so the next Open reads it again
// (after a note is added, say); ForgetPatient drops its patient's.
func (x *Index) Forget(id string) {
	x.mu.Lock()
	delete(x.seen, id)
	x.mu.Unlock()
}

// ForgetPatient drops what is known of a patient (a new code issued).
func (x *Index) ForgetPatient(id string) {
	x.mu.Lock()
	delete(x.patients, id)
	x.mu.Unlock()
}

// Search returns the rows whose summary matches the query, in their
// order. Rows not yet opened never match: Open them first.
func Search(rows []Row, q Query) []Row {
	var out []Row
	for _, r := range rows {
		if r.Summary != nil && q.Match(r.Summary) {
			out = append(out, r)
		}
	}
	return out
}
