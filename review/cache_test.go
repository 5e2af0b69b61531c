package review

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// countingSource counts the sessions opened with the clinic key (the
// rest were read from the summary cache).
type countingSource struct {
	*sqlite.Store
	mu     sync.Mutex
	opened map[string]int
}

func (c *countingSource) Records(ctx context.Context, id string, key *vault.ClinicKey) ([]intakekiosk.Record, error) {
	c.mu.Lock()
	c.opened[id]++
	c.mu.Unlock()
	return c.Store.Records(ctx, id, key)
}

// cacheFixture is a desk's database of two screenings (s1, s2) and a
// returning patient: a screening given a code (s3) and a check-in (c1).
type cacheFixture struct {
	st      *sqlite.Store
	key     *vault.ClinicKey
	cat     *screening.Catalog
	patient string
}

func newCacheFixture(t *testing.T) *cacheFixture {
	t.Helper()
	ctx := context.Background()
	st, key := setUp(t)
	cat := testkit.Catalog(t)
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(21, 22))}
	list := []sqlite.NewSession{
		screeningAt(t, g, "s1", today.Add(9*time.Hour), 0.3, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"}),
		screeningAt(t, g, "s2", today.Add(10*time.Hour), 0.5, screening.Identity{First: "Bea", Last: "Soto", Birth: "1990-01-02"}),
		screeningAt(t, g, "s3", today.Add(-48*time.Hour), 0.5, screening.Identity{First: "Cruz", Last: "Vega", Birth: "1970-05-06"}),
	}
	if err := st.AddSessions(ctx, list); err != nil {
		t.Fatal(err)
	}
	patient, _, err := st.IssueCode(ctx, "s3", "1970-05-06", "Ada", today.Add(-47*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c1, err := g.Checkin("c1", patient, today.Add(8*time.Hour), today.Add(-24*time.Hour), 4, 0.4)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddSessions(ctx, []sqlite.NewSession{c1}); err != nil {
		t.Fatal(err)
	}
	return &cacheFixture{st: st, key: key, cat: cat, patient: patient}
}

// search is a desk signed in anew: a new Index over every session,
// opened. It returns the summaries by session id and the sessions opened
// with the clinic key, and checks that Open counts every session it read,
// from the cache or opened.
func (f *cacheFixture) search(t *testing.T, key *vault.ClinicKey) (map[string]*Summary, []string) {
	t.Helper()
	ctx := context.Background()
	src := &countingSource{Store: f.st, opened: map[string]int{}}
	x := NewIndex(src, key, f.cat)
	rows, err := x.Range(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := x.Open(ctx, rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(rows) {
		t.Errorf("Open counted %d sessions read of %d", n, len(rows))
	}
	out := map[string]*Summary{}
	for _, r := range rows {
		out[r.Session.ID] = r.Summary
	}
	var opened []string
	for id := range src.opened {
		opened = append(opened, id)
	}
	slices.Sort(opened)
	return out, opened
}

// exec changes the database as another program would (a pull's merge, a
// damaged page), beside the store.
func exec(t *testing.T, st *sqlite.Store, query string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.Path()+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

// A summary cached is read again only while the session holds what it
// was made from; anything else is opened with the clinic key again and
// cached anew, never an error.
func TestSummaryCache(t *testing.T) {
	ctx := context.Background()
	all := []string{"c1", "s1", "s2", "s3"}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, f *cacheFixture) (check func(t *testing.T, s map[string]*Summary))
		opened []string
	}{
		{"nothing changed", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			return nil
		}, nil},
		{"note added", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			if err := f.st.AddNote(ctx, "s1", f.key, intakekiosk.Note{By: "Ada", Text: "called"}, today.Add(12*time.Hour)); err != nil {
				t.Fatal(err)
			}
			return func(t *testing.T, s map[string]*Summary) {
				if s["s1"].Notes != 1 {
					t.Errorf("s1 has %d notes, want 1", s["s1"].Notes)
				}
			}
		}, []string{"s1"}},
		{"note pulled quietly", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			// a pull moves no change clock: the cache does not read it
			exec(t, f.st, "UPDATE change_clock SET quiet = 1")
			if err := f.st.AddNote(ctx, "s2", f.key, intakekiosk.Note{By: "Bo", Text: "from the other desk"}, today.Add(12*time.Hour)); err != nil {
				t.Fatal(err)
			}
			exec(t, f.st, "UPDATE change_clock SET quiet = 0")
			return func(t *testing.T, s map[string]*Summary) {
				if s["s2"].Notes != 1 {
					t.Errorf("s2 has %d notes, want 1", s["s2"].Notes)
				}
			}
		}, []string{"s2"}},
		{"status changed", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			exec(t, f.st, "UPDATE sessions SET status = 'incomplete' WHERE id = 's2'")
			return nil
		}, []string{"s2"}},
		{"concern raised", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			exec(t, f.st, "UPDATE sessions SET urgent = 1 WHERE id = 's1'")
			return nil
		}, []string{"s1"}},
		{"reviewed", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			// the summary holds nothing of a review: still good
			if err := f.st.MarkReviewed(ctx, "s1", "Ada", today.Add(12*time.Hour)); err != nil {
				t.Fatal(err)
			}
			return nil
		}, nil},
		{"code issued", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			_, code, err := f.st.IssueCode(ctx, "s2", "1990-01-02", "Ada", today.Add(12*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return func(t *testing.T, s map[string]*Summary) {
				if s["s2"].Code != code {
					t.Errorf("s2's code %q, want %q", s["s2"].Code, code)
				}
			}
		}, []string{"s2"}},
		{"code replaced", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			code, err := f.st.ReplaceCode(ctx, f.patient, "1970-05-06", f.key, "Ada", today.Add(12*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return func(t *testing.T, s map[string]*Summary) {
				for _, id := range []string{"s3", "c1"} {
					if s[id].Code != code {
						t.Errorf("%s's code %q, want %q", id, s[id].Code, code)
					}
				}
			}
		}, []string{"c1", "s3"}},
		{"clinic key changed", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			other, err := vault.NewClinicKey()
			if err != nil {
				t.Fatal(err)
			}
			// a desk signed in with another clinic's key: nothing opens,
			// and the cache is made anew under its key
			s, _ := f.search(t, other)
			for id, sum := range s {
				if !sum.Damaged {
					t.Errorf("%s opened with another clinic's key: %+v", id, sum)
				}
			}
			return nil
		}, all},
		{"blob damaged", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			exec(t, f.st, "UPDATE summaries SET sealed = zeroblob(length(sealed)) WHERE session_id = 's1'")
			return nil
		}, []string{"s1"}},
		{"blob cut", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			exec(t, f.st, "UPDATE summaries SET sealed = substr(sealed, 1, 10) WHERE session_id = 's2'")
			return nil
		}, []string{"s2"}},
		{"blob moved to another session", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			// s1's summary under s2's mark: its binding refuses it
			exec(t, f.st, "UPDATE summaries SET sealed = (SELECT sealed FROM summaries WHERE session_id = 's1') WHERE session_id = 's2'")
			return nil
		}, []string{"s2"}},
		{"blob moved with its mark", func(t *testing.T, f *cacheFixture) func(*testing.T, map[string]*Summary) {
			exec(t, f.st, "UPDATE summaries SET (mark, sealed) = (SELECT mark, sealed FROM summaries WHERE session_id = 's1') WHERE session_id = 's2'")
			return nil
		}, []string{"s2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCacheFixture(t)
			first, opened := f.search(t, f.key)
			if !slices.Equal(opened, all) {
				t.Fatalf("the first search opened %v, want %v", opened, all)
			}
			check := tc.change(t, f)
			got, opened := f.search(t, f.key)
			if !slices.Equal(opened, tc.opened) {
				t.Errorf("after the change opened %v, want %v", opened, tc.opened)
			}
			for id, who := range map[string]string{"s1": "Ana R.", "s2": "Bea S.", "s3": "Cruz V.", "c1": "Cruz V."} {
				if got[id] == nil || got[id].Short() != who || got[id].Damaged {
					t.Errorf("%s summarized as %+v, want %s", id, got[id], who)
				}
			}
			for _, id := range []string{"s1", "s2", "s3", "c1"} {
				if !slices.Contains(tc.opened, id) && !sameSummary(first[id], got[id]) {
					t.Errorf("%s read from the cache as %+v, made as %+v", id, got[id], first[id])
				}
			}
			if check != nil {
				check(t, got)
			}
			// what was opened again is cached again
			if _, opened := f.search(t, f.key); len(opened) != 0 {
				t.Errorf("the next search opened %v again", opened)
			}
		})
	}
}

// sameSummary compares what a queue row shows.
func sameSummary(a, b *Summary) bool {
	return a.Identity == b.Identity && slices.Equal(a.Scores, b.Scores) && a.RedFlags == b.RedFlags && a.Help == b.Help &&
		slices.Equal(a.Why, b.Why) && a.Notes == b.Notes && a.Code == b.Code && a.Damaged == b.Damaged
}

// The cache holds names and scores sealed only: a marker name searched
// (its summary cached) is nowhere in the database, its WAL or its shared
// memory file in clear, while a staff name in a clear column is.
func TestSummaryCacheNothingInClear(t *testing.T) {
	ctx := context.Background()
	st, key := setUp(t)
	cat := testkit.Catalog(t)
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(23, 24))}
	const marker, control = "Quillonmarker", "Controlstaffmarker"
	marked := screeningAt(t, g, "s1", today.Add(9*time.Hour), 0.5, screening.Identity{First: marker, Last: marker + "last", Birth: "1981-02-03"})
	reviewed := screeningAt(t, g, "s2", today.Add(10*time.Hour), 0.5, screening.Identity{First: "Ana", Last: "Ruiz"})
	reviewed.Reviewed, reviewed.ReviewedBy = today.Add(11*time.Hour), control
	if err := st.AddSessions(ctx, []sqlite.NewSession{marked, reviewed}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddNote(ctx, "s1", key, intakekiosk.Note{By: "Ada", Text: marker + " note"}, today.Add(12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	x := NewIndex(st, key, cat)
	rows, err := x.Range(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Open(ctx, rows, nil); err != nil {
		t.Fatal(err)
	}
	if found := Search(rows, ParseQuery(marker)); len(found) != 1 {
		t.Fatalf("the marker found %d sessions", len(found))
	}
	list, err := st.CachedSummaries(ctx, []string{"s1", "s2"})
	if err != nil || len(list) != 2 || list[0].Sealed == nil || list[1].Sealed == nil {
		t.Fatalf("no summaries cached: %+v, %v", list, err)
	}
	var files []byte
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(st.Path() + suffix)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b...)
	}
	if !bytes.Contains(files, []byte(control)) {
		t.Fatal("the scan does not find the staff name in its clear column: it proves nothing")
	}
	if bytes.Contains(files, []byte(marker)) {
		t.Error("the marker name is in the database files in clear")
	}
}

// Every field of a summary comes back from the cache's form; bytes cut
// short, or longer than a summary, are no summary.
func TestSummaryForm(t *testing.T) {
	var s Summary
	n := 0
	fillAll(t, reflect.ValueOf(&s).Elem(), &n)
	s.names = nil
	b := encodeSummary(&s)
	got, err := decodeSummary(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &s) {
		t.Errorf("read back\n%+v\nwritten\n%+v", got, &s)
	}
	for cut := range len(b) {
		if _, err := decodeSummary(b[:cut]); err == nil {
			t.Fatalf("%d bytes of %d read as a summary", cut, len(b))
		}
	}
	if _, err := decodeSummary(append(b, 0)); err == nil {
		t.Error("a summary with a byte more read")
	}
	empty, err := decodeSummary(encodeSummary(&Summary{}))
	if err != nil || !reflect.DeepEqual(empty, &Summary{}) {
		t.Errorf("the empty summary read back as %+v, %v", empty, err)
	}
}

// fillAll gives every exported field of v a value of its own (lists two
// items), so a field the cache's form leaves out shows.
func fillAll(t *testing.T, v reflect.Value, n *int) {
	switch v.Kind() {
	case reflect.String:
		*n++
		v.SetString("s" + strconv.Itoa(*n))
	case reflect.Int:
		*n++
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fillAll(t, v.Index(i), n)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(t, v.Field(i), n)
			}
		}
	default:
		t.Fatalf("a summary field of kind %s: the cache's form and this test need it", v.Kind())
	}
}

// failingCache is a store whose summary cache fails as told.
type failingCache struct {
	*sqlite.Store
	keyErr, putErr error
}

func (f *failingCache) SummaryKey(ctx context.Context, clinic *vault.ClinicKey) (*vault.SessionKey, error) {
	if f.keyErr != nil {
		return nil, f.keyErr
	}
	return f.Store.SummaryKey(ctx, clinic)
}

func (f *failingCache) PutSummaries(ctx context.Context, list []sqlite.SealedSummary) error {
	if f.putErr != nil {
		return f.putErr
	}
	return f.Store.PutSummaries(ctx, list)
}

// A database that cannot keep the cache now (busy, full, read-only)
// still gives every summary; any other fault of it is the search's.
func TestSummaryCacheFails(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name           string
		keyErr, putErr error
		fails          bool
	}{
		{"key busy", sqlite.ErrBusy, nil, false},
		{"full", nil, sqlite.ErrFull, false},
		{"read-only", nil, sqlite.ErrReadOnly, false},
		{"damaged", nil, sqlite.ErrCorrupt, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCacheFixture(t)
			x := NewIndex(&failingCache{Store: f.st, keyErr: tc.keyErr, putErr: tc.putErr}, f.key, f.cat)
			rows, err := x.Range(ctx, time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			n, err := x.Open(ctx, rows, nil)
			if tc.fails {
				if !errors.Is(err, sqlite.ErrCorrupt) {
					t.Errorf("Open = %d, %v; want the store's fault", n, err)
				}
				return
			}
			if err != nil || n != len(rows) {
				t.Fatalf("Open = %d, %v; want %d, nil", n, err, len(rows))
			}
			for _, r := range rows {
				if r.Summary == nil || r.Summary.Short() == "" {
					t.Errorf("%s summarized as %+v", r.Session.ID, r.Summary)
				}
			}
			// nothing was cached: the next sign-in opens them all again
			if _, opened := f.search(t, f.key); len(opened) != len(rows) {
				t.Errorf("the next search opened %v", opened)
			}
		})
	}
}
