package desk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/consent"
	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/screening"
)

// consented adds a finished screening whose patient signed c.
func (c *clinic) consented(t *testing.T, id string, sc *consent.Signed) {
	t.Helper()
	ctx := context.Background()
	if err := c.st.CreateSession(ctx, id, intakekiosk.Screening, c.now); err != nil {
		t.Fatal(err)
	}
	if err := c.st.Append(ctx, id, c.now, intakekiosk.Payload{Identity: &screening.Identity{First: "Ana", Last: "Diaz", Birth: "1985-01-02"}}); err != nil {
		t.Fatal(err)
	}
	if sc != nil {
		if err := c.st.Consented(ctx, id, c.now, *sc); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.st.Complete(ctx, id, c.now); err != nil {
		t.Fatal(err)
	}
}

func signedConsent(edit func(*consent.Signed)) *consent.Signed {
	s := &consent.Signed{Form: "part2", Version: 1, Lang: "en", Hash: strings.Repeat("ab", 32), Text: "May we share?",
		TPO: true, Recipients: []consent.Recipient{{ID: "ehr", Name: "Our record", Purpose: "treatment"}, {ID: "billing", Name: "Billing", Purpose: "pay"}},
		Named: []string{"Dr. Ruiz"}, Signature: consent.Signature{W: 1000, H: 300, Strokes: []consent.Stroke{{1, 1, 500, 200}}}}
	if edit != nil {
		edit(s)
	}
	return s
}

const (
	signedID   = "0190c0de-0000-7000-8000-0000000000c1"
	declinedID = "0190c0de-0000-7000-8000-0000000000c2"
	checkinID  = "0190c0de-0000-7000-8000-0000000000c3"
)

func TestDisclosureChecksConsent(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	c.consented(t, signedID, signedConsent(nil))
	c.consented(t, declinedID, signedConsent(func(s *consent.Signed) {
		s.TPO, s.Recipients, s.Named, s.Declined, s.Signature = false, nil, nil, true, consent.Signature{}
	}))
	c.now = c.now.Add(time.Hour)
	s, err := c.desk.Unlock(ctx, "Cy Counselor", "another long one")
	if err != nil {
		t.Fatal(err)
	}
	ehr := consent.To{Kind: consent.Clinic, ID: "ehr"}
	ruiz := consent.To{Kind: consent.Named, Name: "dr.  ruiz"}
	stranger := consent.To{Kind: consent.Other, Name: "An employer"}
	for _, tc := range []struct {
		name      string
		ids       []string
		to        consent.To
		emergency string
		refused   []string
		basis     consent.Basis
	}{
		{"clinic recipient consented", []string{signedID}, ehr, "", nil, consent.ByConsent},
		{"named recipient consented", []string{signedID}, ruiz, "", nil, consent.ByConsent},
		{"stranger refused", []string{signedID}, stranger, "", []string{signedID}, ""},
		{"declined and no consent refused, named", []string{signedID, declinedID, done}, ehr, "", []string{declinedID, done}, ""},
		{"emergency", []string{signedID, declinedID}, stranger, "unconscious, ED needs history", nil, consent.Emergency},
		{"the patient's own copy", []string{declinedID}, consent.To{Kind: consent.Patient}, "", nil, consent.Access},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := s.PlanDisclosure(ctx, tc.ids, tc.to, "session summary PDF", tc.emergency)
			if tc.refused != nil {
				var re *desk.RefusedError
				if !errors.As(err, &re) || !fault.Is(fault.Permission, err) || !errors.Is(err, consent.ErrNotConsented) {
					t.Fatalf("got %v, want a refusal", err)
				}
				if strings.Join(re.Sessions, ",") != strings.Join(tc.refused, ",") {
					t.Errorf("refused %v, want %v", re.Sessions, tc.refused)
				}
				for _, id := range tc.refused {
					if !strings.Contains(err.Error(), id) {
						t.Errorf("the message does not name session %s: %v", id, err)
					}
				}
				if strings.Contains(err.Error(), "Ana") || strings.Contains(err.Error(), "employer") {
					t.Errorf("the message names a person: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Basis() != tc.basis || d.Sessions() != len(tc.ids) {
				t.Fatalf("basis %q, %d sessions", d.Basis(), d.Sessions())
			}
			n := c.auditLen(t)
			if err := s.Disclosed(ctx, d); err != nil {
				t.Fatal(err)
			}
			got := c.audit(t, n)
			want := "disclosed"
			if tc.basis == consent.Access {
				want = "patient_access"
			}
			if len(got) != 1 || !strings.Contains(got[0], want) || strings.Contains(got[0], "Ruiz") || strings.Contains(got[0], "employer") {
				t.Errorf("audit %q", got)
			}
			for _, id := range tc.ids {
				k, err := s.Consent(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				last := k.Disclosures[len(k.Disclosures)-1]
				if last.Basis != tc.basis || last.By != "Cy Counselor" || !last.To.Same(d.To) {
					t.Errorf("session %s: %+v", id, last)
				}
				if tc.basis == consent.Emergency && last.Reason != tc.emergency {
					t.Errorf("reason %q", last.Reason)
				}
				if tc.basis == consent.ByConsent && last.Hash != signedConsent(nil).Hash {
					t.Errorf("consent hash %q", last.Hash)
				}
			}
		})
	}
}

func TestRevocation(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	c.consented(t, signedID, signedConsent(nil))
	signedAt := c.now
	// a check-in of the same patient is governed by the screening's consent
	patient, _, err := c.st.IssueCode(ctx, signedID, "1985-03-07", "Cy Counselor", c.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.st.CreateCheckin(ctx, checkinID, patient, c.now); err != nil {
		t.Fatal(err)
	}
	if err := c.st.Complete(ctx, checkinID, c.now); err != nil {
		t.Fatal(err)
	}
	c.now = c.now.Add(48 * time.Hour)
	s, err := c.desk.Unlock(ctx, "Cy Counselor", "another long one")
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.Consent(ctx, checkinID)
	if err != nil || k.Holder != signedID || k.Status() != consent.StatusSigned {
		t.Fatalf("check-in's consent: %+v %v", k, err)
	}
	ruiz := consent.To{Kind: consent.Named, Name: "Dr. Ruiz"}
	ehr := consent.To{Kind: consent.Clinic, ID: "ehr"}
	for _, tc := range []struct {
		name  string
		r     consent.Revocation
		field string
		want  error
	}{
		{"before it was signed", consent.Revocation{All: true, Asked: signedAt.Add(-72 * time.Hour)}, "asked", desk.ErrAskedWhen},
		{"in the future", consent.Revocation{All: true, Asked: c.now.Add(24 * time.Hour)}, "asked", desk.ErrAskedWhen},
		{"a recipient it does not name", consent.Revocation{To: consent.To{Kind: consent.Named, Name: "Nobody"}, Asked: c.now}, "recipient", desk.ErrNotInConsent},
		{"one recipient", consent.Revocation{To: ruiz, Asked: c.now}, "", nil},
		{"that one again", consent.Revocation{To: ruiz, Asked: c.now}, "recipient", desk.ErrRevoked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Revoke(ctx, checkinID, tc.r)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := errors.AsType[*fault.Error](err)
			if !errors.Is(err, tc.want) || !ok || e.Field != tc.field {
				t.Fatalf("got %v, want %v in %q", err, tc.want, tc.field)
			}
		})
	}
	// later disclosures to that recipient are refused; the others stand
	if _, err := s.PlanDisclosure(ctx, []string{checkinID}, ruiz, "summary", ""); !errors.Is(err, consent.ErrNotConsented) {
		t.Errorf("a revoked recipient: %v", err)
	}
	if _, err := s.PlanDisclosure(ctx, []string{checkinID}, ehr, "summary", ""); err != nil {
		t.Errorf("a recipient still consented: %v", err)
	}
	n := c.auditLen(t)
	if err := s.Revoke(ctx, signedID, consent.Revocation{All: true, Asked: c.now}); err != nil {
		t.Fatal(err)
	}
	if got := c.audit(t, n); len(got) != 1 || !strings.Contains(got[0], "consent_revoked "+signedID+" part2 v1 sha256:abab") || strings.Contains(got[0], "Ruiz") {
		t.Errorf("audit %q", got)
	}
	k, _ = s.Consent(ctx, signedID)
	if k.Status() != consent.StatusRevoked || k.Revocations[0].By != "Cy Counselor" {
		t.Errorf("status %q %+v", k.Status(), k.Revocations)
	}
	if _, err := s.PlanDisclosure(ctx, []string{checkinID}, ehr, "summary", ""); !errors.Is(err, consent.ErrNotConsented) {
		t.Errorf("after the whole consent is revoked: %v", err)
	}
	// the consent record itself is as it was signed
	if k.Consent.Named[0] != "Dr. Ruiz" || !k.Consent.TPO {
		t.Errorf("the consent changed: %+v", k.Consent)
	}
}

// program is the program's own use: not a disclosure.
var program = consent.To{Kind: consent.Program}

// An identified export is a disclosure: checked before anything is
// written, the notice first in the file, each session on record once
// the file is in place.
func TestExportIsADisclosure(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	c.consented(t, signedID, signedConsent(nil))
	s, err := c.desk.Unlock(ctx, "Cy Counselor", "another long one")
	if err != nil {
		t.Fatal(err)
	}
	ehr := consent.To{Kind: consent.Clinic, ID: "ehr"}
	var out strings.Builder
	_, err = s.Export(ctx, &out, desk.CSV, desk.ExportOptions{To: ehr})
	var re *desk.RefusedError
	if !errors.As(err, &re) || len(re.Sessions) != 1 || re.Sessions[0] != done || out.Len() > 0 {
		t.Fatalf("got %v, wrote %d bytes; want the unconsented session named, nothing written", err, out.Len())
	}
	x, err := s.Export(ctx, &out, desk.CSV, desk.ExportOptions{To: ehr, Emergency: "overdose, ED asks"})
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(out.String(), "\ufeff"), "\n")
	if !strings.Contains(first, "42 CFR part 2") {
		t.Errorf("first line %q, want the notice", first)
	}
	if err := s.Exported(ctx, x); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]consent.Basis{signedID: consent.ByConsent, done: consent.Emergency} {
		k, err := s.Consent(ctx, id)
		if err != nil || len(k.Disclosures) != 1 || k.Disclosures[0].Basis != want || k.Disclosures[0].What != "CSV export" {
			t.Errorf("session %s: %+v %v", id, k.Disclosures, err)
		}
	}
	// the program's own use is not one: no notice, nothing recorded
	out.Reset()
	x, err = s.Export(ctx, &out, desk.CSV, desk.ExportOptions{To: program})
	if err != nil || strings.Contains(out.String(), "42 CFR") {
		t.Fatalf("%v, notice in the program's own export", err)
	}
	if _, ok := x.Disclosure(); ok {
		t.Error("the program's own export is a disclosure")
	}
}
