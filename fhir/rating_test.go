package fhir

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
)

// Each COWS rating is an Observation of its total, coded in the clinic's
// scores code system (no LOINC code for COWS verified), effective when
// rated, about a Patient of the Bundle: those recorded under a returning
// patient and one recorded on a screening before its patient had a code.
func TestExportRatings(t *testing.T) {
	ctx := context.Background()
	st, key := testkit.Store(t, sqlite.Options{})
	cat := catalog(t)
	if _, err := demo.Fill(ctx, st, key, generator(cat, 2), exportAt, 12, testkit.Admin); err != nil {
		t.Fatal(err)
	}
	// a screening without a code, rated at the desk
	var screeningID string
	all, _ := st.Sessions(ctx, sqlite.Filter{})
	for _, ss := range all {
		if ss.Kind == intakekiosk.Screening && ss.PatientID == "" && ss.Status != intakekiosk.InProgress {
			screeningID = ss.ID
			break
		}
	}
	g := demo.Generator{Catalog: cat}
	r, ok := g.COWS(27, exportAt.Add(-time.Hour))
	if !ok {
		t.Fatal("no COWS of 27")
	}
	r.By = testkit.Admin
	if _, err := st.AddRating(ctx, key, "", screeningID, r, r.At); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := Export(ctx, &out, st, key, cat, time.Time{}, Options{BaseURL: testBase, Now: exportAt}, nil); err != nil {
		t.Fatal(err)
	}
	var b struct {
		Entry []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(out.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	patients := map[string]bool{}
	type obs struct {
		ResourceType string `json:"resourceType"`
		Code         struct {
			Coding []coding `json:"coding"`
		} `json:"code"`
		Subject           reference `json:"subject"`
		EffectiveDateTime string    `json:"effectiveDateTime"`
		ValueQuantity     *quantity `json:"valueQuantity"`
		Interpretation    []struct {
			Text string `json:"text"`
		} `json:"interpretation"`
		DerivedFrom []reference `json:"derivedFrom"`
	}
	var cows []obs
	for _, e := range b.Entry {
		var o obs
		var kind struct {
			ResourceType string `json:"resourceType"`
		}
		if err := json.Unmarshal(e.Resource, &kind); err != nil {
			t.Fatal(err)
		}
		if kind.ResourceType != "Observation" && kind.ResourceType != "Patient" {
			continue // a Questionnaire's code is a list
		}
		if err := json.Unmarshal(e.Resource, &o); err != nil {
			t.Fatal(err)
		}
		if o.ResourceType == "Patient" {
			patients[e.FullURL] = true
		}
		if o.ResourceType == "Observation" && len(o.Code.Coding) == 1 && o.Code.Coding[0].Code == "cows" {
			cows = append(cows, o)
		}
	}
	// the demo rates two returning patients on their first days (up to
	// four each, none in the future), and the one above
	if len(cows) < 5 {
		t.Fatalf("%d COWS Observations", len(cows))
	}
	found := false
	for _, o := range cows {
		if o.Code.Coding[0].System != testBase+"/CodeSystem/scores" || o.ValueQuantity == nil || o.ValueQuantity.Value > 48 ||
			!patients[o.Subject.Reference] || len(o.Interpretation) != 1 || o.DerivedFrom != nil {
			t.Errorf("a COWS Observation: %+v", o)
		}
		if o.ValueQuantity != nil && o.ValueQuantity.Value == 27 && o.EffectiveDateTime == fhirTime(r.At) && o.Interpretation[0].Text == "Moderately severe" {
			found = true
		}
	}
	if !found {
		t.Errorf("the screening's COWS 27 is not exported: %+v", cows)
	}
}
