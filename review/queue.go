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
	"intakekiosk/consent"
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
	// Consent is the consent signed at a screening: signed, declined,
	// revoked (in whole or part), or none ("" for a check-in, which is
	// not asked: its patient's screening holds the consent).
	Consent consent.Status

	// names are the name's words as a search matches them (nameWords),
	// folded once when the summary is made; nil: not yet
	names []string
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
	if d.Session.Kind == intakekiosk.Screening {
		s.Consent = d.Consent.Status()
	}
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
// Dropping it (at lock) forgets every summary it holds in memory.
//
// Over a source that is also a Cache (the store), it keeps each summary
// it makes sealed in the database too, under a key of the cache's own:
// after the next sign-in a session whose records and clear fields have
// not changed since is read from there (one small decryption) instead of
// opened with the clinic key and replayed.
type Index struct {
	src     Source
	cache   Cache
	key     *vault.ClinicKey
	cat     *screening.Catalog
	workers int

	// keyMu guards the cache's key, opened at the first Open, and the
	// digest of the instruments
	keyMu   sync.Mutex
	ckey    *vault.SessionKey
	catalog string

	mu   sync.Mutex
	seen map[string]*Summary
	// patients caches what a patient's rows show: the identity of their
	// screening and their check-in code
	patients map[string]patientInfo
}

// patientInfo is what the queue shows of a patient beyond a session, and
// what their records held when it was read (sqlite.CachedSummary's
// Patient; "" not known).
type patientInfo struct {
	identity screening.Identity
	code     string
	state    string
}

// NewIndex returns an empty index that opens sessions with key; one over
// a Cache keeps their summaries there.
func NewIndex(src Source, key *vault.ClinicKey, cat *screening.Catalog) *Index {
	x := &Index{src: src, key: key, cat: cat, workers: max(1, runtime.GOMAXPROCS(0)),
		seen: map[string]*Summary{}, patients: map[string]patientInfo{}}
	x.cache, _ = src.(Cache)
	return x
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

// Open fills in the summary of every row not yet known, on a few
// goroutines, and calls progress (from those goroutines) as they finish:
// from the cache where the summary cached is still what the session
// holds, else opening the session with the clinic key and replaying it
// (its summary then cached, all in one transaction at the end). It
// returns how many sessions it read, from the cache or opened, also when
// it stops early: each is a read of a patient's data, and the caller
// audits that. A session whose records do not open is summarized as
// damaged, not an error; a storage error or the end of ctx stops it. A
// database that cannot keep the cache now (busy, full, read-only) leaves
// the summaries in memory only.
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
	c, err := x.fromCache(ctx, rows, todo)
	if err != nil {
		return 0, fmt.Errorf("open sessions: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		done     int
		firstErr error
		put      []sqlite.SealedSummary
	)
	for range min(x.workers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				s, entry, err := x.fill(ctx, c, rows[i].Session)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				if err == nil {
					rows[i].Summary = s
					done++
					if entry != nil {
						put = append(put, *entry)
					}
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
	if firstErr == nil && len(put) > 0 {
		if err := x.cache.PutSummaries(ctx, put); err != nil && !passable(err) {
			firstErr = err
		}
	}
	if firstErr != nil {
		return done, fmt.Errorf("open sessions: %w", firstErr)
	}
	return done, nil
}

// fill gives a session's summary and remembers it: the cached one when
// it is still what the session holds, else one made by opening the
// session, with its entry for the cache (nil without a cache).
func (x *Index) fill(ctx context.Context, c *cached, ss intakekiosk.Session) (*Summary, *sqlite.SealedSummary, error) {
	if c == nil {
		s, err := x.summary(ctx, ss, "")
		return s, nil, err
	}
	e, listed := c.entries[ss.ID]
	mark := c.mark(ss, e)
	if s, ok := c.open(ss, mark); ok {
		x.mu.Lock()
		x.seen[ss.ID] = s
		x.mu.Unlock()
		return s, nil, nil
	}
	s, err := x.summary(ctx, ss, e.Patient)
	if err != nil || !listed {
		// a session gone since it was listed: nothing to cache
		return s, nil, err
	}
	entry, err := c.seal(ss.ID, mark, s)
	if err != nil {
		return nil, nil, err
	}
	return s, &entry, nil
}

// summary opens one session and remembers its summary; patient is what
// its patient's records hold now ("" not known: what is remembered of the
// patient is taken as it is).
func (x *Index) summary(ctx context.Context, ss intakekiosk.Session, patient string) (*Summary, error) {
	d, err := Open(ctx, x.src, ss, x.key, x.cat)
	var s *Summary
	switch {
	case err == nil:
		s = summarize(d)
		if ss.PatientID != "" {
			p, err := x.patient(ctx, ss.PatientID, patient)
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
	s.names = nameWords(s.Identity)
	x.mu.Lock()
	x.seen[ss.ID] = s
	x.mu.Unlock()
	return s, nil
}

// Patient returns who a patient said they were at screening and their
// check-in code, read once and remembered until the lock.
func (x *Index) Patient(ctx context.Context, id string) (screening.Identity, string, error) {
	p, err := x.patient(ctx, id, "")
	return p.identity, p.code, err
}

// patient returns what the queue shows of a patient, read once while
// their records stay as state says ("": as they were when read).
func (x *Index) patient(ctx context.Context, id, state string) (patientInfo, error) {
	x.mu.Lock()
	p, ok := x.patients[id]
	x.mu.Unlock()
	if ok && (state == "" || p.state == state) {
		return p, nil
	}
	src, ok := x.src.(PatientSource)
	if !ok {
		return patientInfo{}, nil
	}
	p = patientInfo{}
	info, err := LoadPatientInfo(ctx, src, id, x.key, x.cat)
	if err != nil {
		if errors.Is(err, vault.ErrDamaged) || errors.Is(err, vault.ErrNotForThisKey) {
			return p, nil
		}
		return p, err
	}
	p = patientInfo{identity: info.Identity, code: info.Code, state: state}
	x.mu.Lock()
	x.patients[id] = p
	x.mu.Unlock()
	return p, nil
}

// Forget drops a session's summary from memory, so the next Open reads
// it again (after a note is added, say): from the cache only if the
// session still holds what it was made from (a note, a status or a code
// changes its mark), else opened anew. ForgetPatient drops its patient's.
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
