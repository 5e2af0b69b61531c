package fhir

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/consent"
	"intakekiosk/review"
	"intakekiosk/screening"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed corpus in testdata/fuzz/FuzzRead")

// FuzzRead feeds Read arbitrary input: it must never panic, and what it
// accepts must fit the instruments, score, and survive an export and a
// second Read; a Consent it accepts must hold (consent.Signed.Check) and
// come back the same. The seed corpus (testdata/fuzz/FuzzRead, rewritten with
// -update-corpus) holds valid and broken Bundles and responses.
func FuzzRead(f *testing.F) {
	cat := catalog(f)
	if *updateCorpus {
		writeCorpus(f, cat)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := Read(bytes.NewReader(data), cat, readOpts)
		if err != nil {
			if list != nil {
				t.Fatal("sessions returned with an error")
			}
			return
		}
		for _, im := range list {
			checkImported(t, cat, im)
		}
	})
}

// checkImported checks one session Read accepted.
func checkImported(t *testing.T, cat *screening.Catalog, im Imported) {
	if im.Consent != nil {
		if err := im.Consent.Check(); err != nil {
			t.Fatalf("accepted consent %+v: %v", im.Consent, err)
		}
	}
	kinds := map[intakekiosk.SessionKind]bool{intakekiosk.Screening: true, intakekiosk.Checkin: true}
	for _, a := range im.Answers {
		in, ok := cat.Instrument(a.Instrument)
		if !ok {
			t.Fatalf("answer to unknown instrument %s", a.Instrument)
		}
		it, ok := in.Item(a.Item)
		if !ok {
			t.Fatalf("answer to unknown item %s", a.Key())
		}
		if err := it.Validate(a, im.Authored); err != nil {
			t.Fatalf("accepted answer %+v: %v", a, err)
		}
		for k := range kinds {
			kinds[k] = kinds[k] && in.AskedAt(string(k))
		}
	}
	// export it as a session of a kind that asks all its instruments, and
	// read it back: the scores must not change
	for kind, ok := range kinds {
		if !ok {
			continue
		}
		s := screening.NewSessionFor(cat, string(kind), nil)
		s.Restore(im.Answers...)
		ss := intakekiosk.Session{ID: "fuzz", Kind: kind, Status: intakekiosk.Incomplete, Started: im.Authored, Ended: im.Authored}
		if im.Complete {
			ss.Status, ss.Completed = intakekiosk.New, im.Authored
		}
		var buf bytes.Buffer
		d := review.Detail{Session: ss, Visit: intakekiosk.Visit{Identity: im.Identity, Session: s}}
		if im.Consent != nil {
			d.Consent.Sign(im.SignedAt, *im.Consent)
			for _, r := range im.Revocations {
				d.Consent.Revocations = append(d.Consent.Revocations, consent.Revoked{At: im.SignedAt, Revocation: r})
			}
		}
		if err := WriteBundle(&buf, []review.Detail{d}, cat, Options{BaseURL: testBase}); err != nil {
			t.Fatal(err)
		}
		again, err := Read(&buf, cat, readOpts)
		if err != nil {
			t.Fatalf("the export of an accepted input is refused: %v\n%s", err, buf.Bytes())
		}
		if len(again) == 0 {
			return // no answer to a question asked
		}
		if im.Consent != nil && (again[0].Consent == nil || !reflect.DeepEqual(*again[0].Consent, *im.Consent)) {
			t.Fatalf("the consent after a second trip: %+v, before: %+v", again[0].Consent, im.Consent)
		}
		want, got := results(s, im.Authored), rescore(cat, kind, again[0])
		for id, w := range want {
			if g := got[id]; g.Scored != w.Scored || g.Total != w.Total {
				t.Fatalf("%s: %d (scored %v) after a second trip, %d (scored %v) before", id, g.Total, g.Scored, w.Total, w.Scored)
			}
		}
		return
	}
}

// writeCorpus writes the seed corpus: valid inputs of every shape and
// broken ones.
func writeCorpus(f *testing.F, cat *screening.Catalog) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	bundle := export(f, cat, screeningDetail(f, cat, 40, "s-40", 0.6, instruments("phq9", "gad7")))
	ns, err := generator(cat, 41).Checkin("c-41", "p-41", day.Add(24*3600e9), day, 3.5, 0.7)
	if err != nil {
		f.Fatal(err)
	}
	checkin := export(f, cat, detail(f, cat, ns, nil))
	signedBundle := export(f, cat, consented(f, "s-42", signed(f, "en", "Dr. Rivera"),
		consent.Revocation{To: consent.To{Kind: consent.Clinic, ID: "billing"}, Asked: day.Add(time.Hour)}))
	declinedBundle := export(f, cat, consented(f, "s-43", declined(f)))
	hash := signed(f, "en").Hash
	seeds := map[string][]byte{
		"bundle-phq9-gad7":               bundle,
		"bundle-checkin":                 checkin,
		"bundle-truncated":               bundle[:len(bundle)/2],
		"bundle-transaction":             bytes.Replace(bundle, []byte(`"collection"`), []byte(`"transaction"`), 1),
		"bundle-unknown-item":            bytes.ReplaceAll(bundle, []byte(`"linkId":"/44260-8"`), []byte(`"linkId":"/99999-9"`)),
		"bundle-consent":                 signedBundle,
		"bundle-consent-declined":        declinedBundle,
		"bundle-consent-bad-hash":        bytes.Replace(signedBundle, []byte(hash), []byte(strings.Repeat("0", 64)), 1),
		"bundle-consent-permit-declined": bytes.Replace(declinedBundle, []byte(`"provision":{"type":"deny"`), []byte(`"provision":{"type":"permit"`), 1),
		"response-phq9":                  mustJSON(f, phq9(item("3", coded(testBase+"/CodeSystem/phq9", "several_days")))),
		"response-declined": mustJSON(f, phq9(map[string]any{"linkId": "9",
			"extension": []any{map[string]any{"url": dataAbsentReason, "valueCode": askedDeclined}}})),
		"response-kratom": mustJSON(f, kratom(item("grams_per_day", value("Decimal", 12.5)),
			item("forms", coded("", "leaf"), coded("", "capsules")), item("medicines", value("String", "none")),
			item("last_dose", value("DateTime", "2026-11-24T22:00:00Z")))),
		"response-wrong-type":   mustJSON(f, kratom(item("grams_per_day", value("String", "12")))),
		"response-out-of-range": mustJSON(f, kratom(item("grams_per_day", value("Decimal", 1e6)))),
		"empty-object":          []byte(`{}`),
		"entry-null":            []byte(`{"resourceType":"Bundle","type":"collection","entry":null}`),
		"deep":                  []byte(strings.Repeat("[", 5000) + strings.Repeat("]", 5000)),
	}
	for name, data := range seeds {
		body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n"
		if err := os.WriteFile(filepath.Join(dir, "seed-"+name), []byte(body), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %d seeds to %s\n", len(seeds), dir)
}
