package consent_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"intakekiosk/consent"
)

func signed(edit func(*consent.Signed)) consent.Signed {
	s := consent.Signed{Form: "part2", Version: 1, Lang: "en", Hash: strings.Repeat("a", 64), Text: "words",
		TPO: true, Recipients: []consent.Recipient{{ID: "ehr", Name: "Our record", Purpose: "treatment"}},
		Named:     []string{"Dr. Ana  Ruiz"},
		Signature: consent.Signature{W: 1000, H: 300, Strokes: []consent.Stroke{{10, 10, 500, 200, 990, 290}}}}
	if edit != nil {
		edit(&s)
	}
	return s
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*consent.Signed)
		want error
	}{
		{"good", nil, nil},
		{"declined, unsigned", func(s *consent.Signed) {
			s.TPO, s.Named, s.Recipients, s.Declined, s.Signature = false, nil, nil, true, consent.Signature{}
		}, nil},
		{"unsigned", func(s *consent.Signed) { s.Signature = consent.Signature{} }, consent.ErrUnsigned},
		{"nothing chosen", func(s *consent.Signed) { s.TPO, s.Named = false, nil }, consent.ErrNothingChose},
		{"declined with a consent", func(s *consent.Signed) { s.Declined = true }, consent.ErrDeclinedMix},
		{"stroke off the pad", func(s *consent.Signed) { s.Signature.Strokes[0][1] = 301 }, consent.ErrBadSignature},
		{"odd stroke", func(s *consent.Signed) { s.Signature.Strokes[0] = consent.Stroke{1, 2, 3} }, consent.ErrBadSignature},
		{"too many strokes", func(s *consent.Signed) {
			for range consent.MaxStrokes {
				s.Signature.Strokes = append(s.Signature.Strokes, consent.Stroke{1, 1})
			}
		}, consent.ErrBadSignature},
		{"empty name", func(s *consent.Signed) { s.Named = []string{" "} }, consent.ErrBadName},
		{"control in name", func(s *consent.Signed) { s.Named = []string{"a\nb"} }, consent.ErrBadName},
		{"too many names", func(s *consent.Signed) { s.Named = []string{"a", "b", "c", "d", "e"} }, consent.ErrTooLong},
		{"no hash", func(s *consent.Signed) { s.Hash = "" }, consent.ErrMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := signed(tc.edit)
			if err := s.Check(); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestAllows(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ehr := consent.To{Kind: consent.Clinic, ID: "ehr"}
	billing := consent.To{Kind: consent.Clinic, ID: "billing"}
	ana := consent.To{Kind: consent.Named, Name: "dr. ana ruiz"}
	other := consent.To{Kind: consent.Other, Name: "An employer"}
	self := consent.To{Kind: consent.Patient}
	revoke := func(r consent.Revocation) func(*consent.History) {
		return func(h *consent.History) {
			h.Revocations = append(h.Revocations, consent.Revoked{At: at, Revocation: r})
		}
	}
	for _, tc := range []struct {
		name    string
		consent *consent.Signed
		edit    func(*consent.History)
		to      consent.To
		want    consent.Basis
		status  consent.Status
	}{
		{"clinic recipient named", ptr(signed(nil)), nil, ehr, consent.ByConsent, consent.StatusSigned},
		{"clinic recipient not on the form", ptr(signed(nil)), nil, billing, "", consent.StatusSigned},
		{"named, case and spaces aside", ptr(signed(nil)), nil, ana, consent.ByConsent, consent.StatusSigned},
		{"anyone else", ptr(signed(nil)), nil, other, "", consent.StatusSigned},
		{"no consent", nil, nil, ehr, "", consent.StatusNone},
		{"the patient's own copy, no consent", nil, nil, self, consent.Access, consent.StatusNone},
		{"declined", ptr(signed(func(s *consent.Signed) {
			s.TPO, s.Named, s.Declined, s.Signature = false, nil, true, consent.Signature{}
		})), nil, ehr, "", consent.StatusDeclined},
		{"TPO not chosen", ptr(signed(func(s *consent.Signed) { s.TPO = false })), nil, ehr, "", consent.StatusSigned},
		{"revoked whole", ptr(signed(nil)), revoke(consent.Revocation{All: true, By: "Sam"}), ana, "", consent.StatusRevoked},
		{"one recipient revoked", ptr(signed(nil)), revoke(consent.Revocation{To: ana, By: "Sam"}), ana, "", consent.StatusPartly},
		{"another recipient revoked", ptr(signed(nil)), revoke(consent.Revocation{To: ana, By: "Sam"}), ehr, consent.ByConsent, consent.StatusPartly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h consent.History
			if tc.consent != nil {
				h.Sign(at, *tc.consent)
			}
			if tc.edit != nil {
				tc.edit(&h)
			}
			got, err := h.Allows(tc.to)
			if got != tc.want || (tc.want == "") != errors.Is(err, consent.ErrNotConsented) {
				t.Errorf("Allows = %q, %v; want %q", got, err, tc.want)
			}
			if h.Status() != tc.status {
				t.Errorf("Status = %q, want %q", h.Status(), tc.status)
			}
		})
	}
}

// A session is signed once: a second consent record does not replace
// the first.
func TestFirstConsentStands(t *testing.T) {
	var h consent.History
	t1 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	h.Sign(t1, signed(nil))
	h.Sign(t1.Add(time.Hour), signed(func(s *consent.Signed) { s.Named = []string{"Someone else"} }))
	if h.SignedAt != t1 || h.Consent.Named[0] != "Dr. Ana  Ruiz" {
		t.Errorf("got %v %v", h.SignedAt, h.Consent.Named)
	}
}

func ptr[T any](v T) *T { return &v }
