package bundle

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"

	"intakekiosk"
)

// A reader never panics, whatever it is given, and accepts nothing that
// is not signed.
func FuzzRead(f *testing.F) {
	pub, priv, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	var good bytes.Buffer
	w, _ := NewWriter(&good, Header{Site: "North", Recipients: []string{"age1x"}, Created: time.Unix(0, 0).UTC()}, priv)
	w.Session(intakekiosk.SealedSession{ID: "s1", Kind: intakekiosk.Screening, Status: intakekiosk.New, Started: "2026-11-25T09:00:00.000000000Z",
		SealedKey: []byte("key"), Records: []intakekiosk.SealedRecord{{Recorded: "2026-11-25T09:01:00.000000000Z", Payload: []byte{1, 2, 3}}}})
	w.Patient(intakekiosk.SealedPatient{ID: "p1", CodeHash: []byte{9}, SealedKey: []byte("k"), Created: "2026-11-25T09:00:00.000000000Z"})
	w.Close()
	f.Add(good.Bytes())
	f.Add([]byte(`{"header":{"format":"intakekiosk-bundle","version":1}}`))
	f.Add([]byte("{\"end\":{}}\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, _, err := Read(bytes.NewReader(data), nil, func(*intakekiosk.SealedSession, *intakekiosk.SealedPatient) error { return nil })
		if err == nil && !bytes.Equal(h.SiteKey, pub) {
			// accepted: must be signed by the key it names, and that can
			// only be ours in this corpus unless a forgery was found
			t.Logf("accepted a bundle signed by another key: %x", h.SiteKey)
		}
	})
}
