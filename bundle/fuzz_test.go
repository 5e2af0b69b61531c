package bundle

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"

	"intakekiosk"
)

// A reader never panics, whatever it is given, accepts nothing that is not
// signed, and gives nothing that is not well formed (checkSession,
// checkPatient), even signed by the site: the seeds are a well-formed
// bundle and one of each malformed session and patient, signed.
func FuzzRead(f *testing.F) {
	pub, priv, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	signedBundle := func(ss intakekiosk.SealedSession, p intakekiosk.SealedPatient) []byte {
		var b bytes.Buffer
		w, _ := NewWriter(&b, Header{Site: "North", Recipients: []string{"age1x"}, Created: time.Unix(0, 0).UTC()}, priv)
		w.Session(ss)
		w.Patient(p)
		w.Close()
		return b.Bytes()
	}
	ss, p := wellFormed(f)
	f.Add(signedBundle(ss, p))
	for _, tc := range malformedCases(f) {
		ss, p := wellFormed(f)
		if tc.session != nil {
			tc.session(&ss)
		} else {
			tc.patient(&p)
		}
		if tc.name != "too many records" && tc.name != "payload of 1 MiB" { // kept small
			f.Add(signedBundle(ss, p))
		}
	}
	f.Add([]byte(`{"header":{"format":"intakekiosk-bundle","version":1}}`))
	f.Add([]byte("{\"end\":{}}\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, _, err := Read(bytes.NewReader(data), nil, func(ss *intakekiosk.SealedSession, p *intakekiosk.SealedPatient) error {
			if ss != nil {
				if err := checkSession(ss); err != nil {
					t.Errorf("gave a malformed session: %v", err)
				}
			} else if err := checkPatient(p); err != nil {
				t.Errorf("gave a malformed patient: %v", err)
			}
			return nil
		})
		if err == nil && !bytes.Equal(h.SiteKey, pub) {
			// accepted: must be signed by the key it names, and that can
			// only be ours in this corpus unless a forgery was found
			t.Logf("accepted a bundle signed by another key: %x", h.SiteKey)
		}
	})
}
