package fhir

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

var (
	day      = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	exportAt = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
)

// testBase is the canonical base of the tests' exports: the demo
// clinic's fhir_base.
const testBase = demo.FHIRBase

// readOpts reads as an import the day after the tests' visits, this
// clinic's base and another clinic's (the tests' kratom responses) among
// its sites'.
var readOpts = ReadOptions{Now: exportAt, Bases: []string{testBase, "https://fhir.northside-clinic.org/fhir"}}

func catalog(tb testing.TB) *screening.Catalog { return testkit.Catalog(tb) }

func generator(cat *screening.Catalog, seed uint64) demo.Generator {
	return demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(seed, 7))}
}

// keep selects the records of a synthetic session that a test keeps.
type keep func(intakekiosk.Record) bool

// instruments keeps the identity and the answers to the named instruments.
func instruments(ids ...string) keep {
	return func(r intakekiosk.Record) bool { return r.Answer == nil || slices.Contains(ids, r.Answer.Instrument) }
}

// detail turns a synthetic session into what review.Load would give.
func detail(tb testing.TB, cat *screening.Catalog, ns sqlite.NewSession, k keep) review.Detail {
	tb.Helper()
	recs := ns.Records
	if k != nil {
		recs = nil
		for _, r := range ns.Records {
			if k(r) {
				recs = append(recs, r)
			}
		}
	}
	ss := intakekiosk.Session{ID: ns.ID, Kind: ns.Kind, Status: ns.Status, Started: ns.Started,
		Completed: ns.Completed, Ended: ns.Completed, Urgent: ns.Urgent, PatientID: ns.PatientID}
	if ss.Ended.IsZero() && len(recs) > 0 {
		ss.Ended = recs[len(recs)-1].Recorded
	}
	return review.Detail{Session: ss, Visit: intakekiosk.Replay(recs, cat, ns.Kind)}
}

// screeningDetail makes a finished synthetic screening.
func screeningDetail(tb testing.TB, cat *screening.Catalog, seed uint64, id string, sev float64, k keep) review.Detail {
	tb.Helper()
	ns, err := generator(cat, seed).Screening(id, day, sev)
	if err != nil {
		tb.Fatal(err)
	}
	return detail(tb, cat, ns, k)
}

// export writes a Bundle of the sessions.
func export(tb testing.TB, cat *screening.Catalog, list ...review.Detail) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := WriteBundle(&buf, list, cat, Options{BaseURL: testBase, Now: exportAt}); err != nil {
		tb.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
		tb.Fatalf("the bundle is not valid JSON:\n%s", buf.Bytes())
	}
	return buf.Bytes()
}

// results scores answers as the kiosk does, by instrument id.
func results(s *screening.Session, at time.Time) map[string]screening.Result {
	out := map[string]screening.Result{}
	for _, r := range s.Results(at) {
		out[r.Instrument.ID] = r
	}
	return out
}

// rescore replays imported answers over a new session of a kind.
func rescore(cat *screening.Catalog, kind intakekiosk.SessionKind, im Imported) map[string]screening.Result {
	s := screening.NewSessionFor(cat, string(kind), nil)
	s.AsWritten() // as an import stores it
	s.Restore(im.Answers...)
	return results(s, im.Authored)
}

// generic decodes JSON into maps and lists.
func generic(tb testing.TB, data []byte) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

// path follows keys and list indexes ("subject.reference",
// "valueQuantity.value", "name.0.given") through generic JSON.
func path(v any, keys ...any) (any, bool) {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[k]; !ok {
				return nil, false
			}
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil, false
			}
			v = l[k]
		}
	}
	return v, true
}

// str is a string at a path, "" when absent.
func str(v any, keys ...any) string {
	s, _ := path(v, keys...)
	t, _ := s.(string)
	return t
}
