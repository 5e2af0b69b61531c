package sqlite

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"intakekiosk"
	"intakekiosk/consent"
)

// The consent's choices, the names typed, the strokes drawn, and what
// staff add after (a revocation, a disclosure with its recipient and an
// emergency's reason) are sealed like answers: no marker is found on
// disk, in clear, hex or base64; the audit log names each signature,
// revocation and disclosure without them. The audit's own words are the
// positive control.
func TestConsentSealed(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	const id = "0190c0de-0000-7000-8000-0000000000aa"
	if err := s.CreateSession(ctx, id, intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	// a stroke whose numbers spell a marker as JSON would write it
	stroke := consent.Stroke{7319, 2887, 7319, 2886, 7320, 2885}
	c := consent.Signed{Form: "part2", Version: 1, Lang: "en", Hash: strings.Repeat("c", 64), Text: "MarkerFormText",
		TPO: true, Recipients: []consent.Recipient{{ID: "ehr", Name: "MarkerClinicRecipient", Purpose: "MarkerPurpose"}},
		Named: []string{"MarkerNamedPerson"}, Signature: consent.Signature{W: 9000, H: 3000, Strokes: []consent.Stroke{stroke}}}
	if err := s.Consented(ctx, id, t0, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Complete(ctx, id, t0); err != nil {
		t.Fatal(err)
	}
	key := clinicKey(t, s)
	staff := []StaffRecord{
		{Session: id, Payload: intakekiosk.Payload{Revocation: &consent.Revocation{To: consent.To{Kind: consent.Named, Name: "MarkerNamedPerson"}, Asked: t0, By: "Sam"}}},
		{Session: id, Payload: intakekiosk.Payload{Disclosure: &consent.Disclosure{To: consent.To{Kind: consent.Other, Name: "MarkerStranger"},
			What: "summary", By: "Sam", Basis: consent.Emergency, Reason: "MarkerReason"}}},
	}
	if err := s.AddStaffRecords(ctx, key, staff, t0, Entry{At: t0, Actor: "Sam", Action: ActDisclosed, Target: id, Detail: "summary to a other recipient"}); err != nil {
		t.Fatal(err)
	}
	markers := []string{"MarkerFormText", "MarkerClinicRecipient", "MarkerPurpose", "MarkerNamedPerson", "MarkerStranger", "MarkerReason", "7319,2887", "tpo"}
	forms := func(m string) [][]byte {
		return [][]byte{[]byte(m), []byte(hex.EncodeToString([]byte(m))), []byte(base64.StdEncoding.EncodeToString([]byte(m)))}
	}
	var all []byte
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, data...)
		for _, m := range markers {
			for _, b := range forms(m) {
				if bytes.Contains(data, b) {
					t.Errorf("%s holds %q in clear", filepath.Base(f), b)
				}
			}
		}
	}
	for _, control := range []string{ActConsentSigned, ActDisclosed, "part2 v1 sha256:cccc"} {
		if !bytes.Contains(all, []byte(control)) {
			t.Errorf("the positive control %q is not on disk: the scan reads nothing", control)
		}
	}
	recs, err := s.Records(ctx, id, key)
	if err != nil {
		t.Fatal(err)
	}
	h := intakekiosk.ConsentHistory(recs)
	if h.Consent == nil || h.Consent.Named[0] != "MarkerNamedPerson" || h.Consent.Signature.Strokes[0][0] != 7319 ||
		len(h.Revocations) != 1 || h.Disclosures[0].Reason != "MarkerReason" {
		t.Errorf("read back as %+v", h)
	}
}
