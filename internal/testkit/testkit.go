// Package testkit holds test helpers shared by the packages' tests: the
// built-in instruments and message catalog (loaded once per call, failing
// the test on any error), a set-up store, answer builders (ByPoints,
// Answered) and a clock the test moves. Only _test.go files import it; product
// code never does (cmd/kiosk's TestProductHasNoBenchTooling checks the
// kiosk binary holds none of it).
package testkit

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"intakekiosk/assets"
	"intakekiosk/i18n"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// Catalog loads the built-in instrument files and fails the test on any
// load error, naming each.
func Catalog(tb testing.TB) *screening.Catalog {
	tb.Helper()
	c, errs := screening.Load(screening.Source{Name: "built-in", FS: assets.Instruments()})
	for _, err := range errs {
		tb.Errorf("built-in instruments: %v", err)
	}
	if len(errs) > 0 {
		tb.FailNow()
	}
	return c
}

// Messages loads the built-in message catalog (assets/i18n) and fails the
// test if it does not load.
func Messages(tb testing.TB) *i18n.Catalog {
	tb.Helper()
	c, err := i18n.Load(assets.Messages())
	if err != nil {
		tb.Fatalf("built-in messages: %v", err)
	}
	return c
}

// Admin and Passphrase are the administrator Store sets up.
const (
	Admin      = "Ana Admin"
	Passphrase = "correct horse battery"
)

// Store is a new kiosk database in a temporary folder, set up with the
// administrator Admin (passphrase Passphrase, scrypt at a test's work
// factor), closed when the test ends; it returns the clinic key too, from
// the recovery key, to read back what was sealed.
func Store(tb testing.TB, opt sqlite.Options) (*sqlite.Store, *vault.ClinicKey) {
	tb.Helper()
	ctx := context.Background()
	if opt.WorkFactor == 0 {
		opt.WorkFactor = 10
	}
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "kiosk.db"), opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	rec, err := st.SetUp(ctx, Admin, Passphrase, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	key, err := vault.ParseRecoveryKey(rec)
	if err != nil {
		tb.Fatal(err)
	}
	return st, key
}

// CopyID is the id Copies gives its copy i: of the kiosk's form (a
// UUIDv7, which a transfer bundle's reader requires), in order.
func CopyID(i int) string { return fmt.Sprintf("0190c0de-0000-7000-8000-%012d", i) }

// Copies stores n copies of a session (each sealed afresh), with the ids
// CopyID(0), CopyID(1)…, the first started at from and each a minute
// before the one ahead of it, finished 20 minutes after it started: a
// large clinic for the benchmarks, added 5,000 to a transaction.
func Copies(tb testing.TB, st *sqlite.Store, tmpl sqlite.NewSession, from time.Time, n int) {
	tb.Helper()
	var batch []sqlite.NewSession
	for i := range n {
		ns := tmpl
		ns.ID = CopyID(i)
		ns.Started = from.Add(-time.Duration(i) * time.Minute)
		ns.Completed = ns.Started.Add(20 * time.Minute)
		batch = append(batch, ns)
		if len(batch) == 5000 || i == n-1 {
			if err := st.AddSessions(context.Background(), batch); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// Clock is a clock a test moves by hand; it is safe for use by the
// goroutines of the code under test.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock is a clock that reads t until it is moved.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// ByPoints answers an instrument's scored items, in scoring order, with
// the options worth the given points (before any reverse scoring), or for
// a number item scored by steps the top of the step worth them, given at
// at.
func ByPoints(tb testing.TB, c *screening.Catalog, id string, at time.Time, points ...int) []screening.Answer {
	tb.Helper()
	in, ok := c.Instrument(id)
	if !ok {
		tb.Fatalf("no instrument %q", id)
	}
	if len(points) != len(in.Scoring.Items) {
		tb.Fatalf("%s: %d points for %d scored items", id, len(points), len(in.Scoring.Items))
	}
	var as []screening.Answer
	for i, item := range in.Scoring.Items {
		it, _ := in.Item(item)
		if it.Kind == screening.Number {
			j := slices.IndexFunc(it.Steps, func(s screening.PointStep) bool { return s.Points == points[i] })
			if j < 0 {
				tb.Fatalf("%s item %s has no step worth %d", id, item, points[i])
			}
			n := it.Steps[j].UpTo
			as = append(as, screening.Answer{Instrument: id, Item: item, Number: &n, At: at})
			continue
		}
		j := slices.IndexFunc(it.Options, func(o screening.Option) bool { return o.Points == points[i] })
		if j < 0 {
			tb.Fatalf("%s item %s has no option worth %d", id, item, points[i])
		}
		as = append(as, screening.Answer{Instrument: id, Item: item, Choice: it.Options[j].Value, At: at})
	}
	return as
}

// Answered is a new screening session over the catalog's instruments
// with the answers set, in order (so branching sees the earlier ones), at
// at.
func Answered(tb testing.TB, c *screening.Catalog, at time.Time, groups ...[]screening.Answer) *screening.Session {
	tb.Helper()
	s := screening.NewSession(c, nil)
	for _, g := range groups {
		for _, a := range g {
			if _, err := s.Set(a, at); err != nil {
				tb.Fatalf("answer %s: %v", a.Key(), err)
			}
		}
	}
	return s
}

// EnglishTexts are the built-in catalog's English texts by key, as the
// file has them.
func EnglishTexts(tb testing.TB) map[string]string {
	tb.Helper()
	data, err := fs.ReadFile(assets.Messages(), "en.json")
	if err != nil {
		tb.Fatal(err)
	}
	var texts map[string]string
	if err := json.Unmarshal(data, &texts); err != nil {
		tb.Fatal(err)
	}
	return texts
}
