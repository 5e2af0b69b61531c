package bundle

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"filippo.io/age"
	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/exchange"
	"intakekiosk/fault"
)

// A valid signature proves who sent a bundle, not that it is well formed:
// every session and patient is checked against what a kiosk writes before
// anything of the bundle is written (checkSession, checkPatient, in
// every reading: an import's gives the store nothing from the first
// malformed one on, and is refused). The limits leave ample
// headroom over what the kiosk writes: a record's payload is a sealed
// answer, identity or note of a few hundred bytes (a note at most
// sqlite.MaxNoteLen characters, a typed answer at most
// screening.MaxLongText), a sealed key some 200 bytes per recipient, a
// screening a few hundred records.
const (
	// maxPayload bounds a record's sealed payload, in bytes.
	maxPayload = 64 << 10
	// maxRecords bounds the records of one session or patient.
	maxRecords = 10_000
	// maxSealedKey bounds a sealed data key, in bytes, and maxRecipients
	// the recipients it is sealed to.
	maxSealedKey  = 4 << 10
	maxRecipients = 16
	// maxBundle bounds a whole bundle, in bytes.
	maxBundle = 4 << 30
	// maxStaffName bounds who reviewed a session and a site's name, in
	// characters (a staff name has at most 40).
	maxStaffName = 200
	// maxRecipientKey bounds a recipient's public key in the header, in
	// bytes (an age X25519 key has 62).
	maxRecipientKey = 100
)

// storedLayout is how the store writes an instant (sqlite's tsLayout):
// RFC 3339 in UTC with nine digits of fraction.
const storedLayout = "2006-01-02T15:04:05.000000000Z"

// The sealed forms the vault writes: a payload is its version byte
// (1), a 24-byte XChaCha20 nonce, the ciphertext and a 16-byte Poly1305
// tag; a data key is an age file of X25519 stanzas whose body, after the
// header, is a 16-byte nonce and the 32-byte key in one sealed chunk.
const (
	payloadVersion  = 1
	payloadOverhead = 1 + 24 + 16
	// checkinBoxLen is a check-in box's text (sqlite's checkinBoxLen)
	checkinBoxLen = 64
	ageKeyBody    = 16 + 32 + 16
	x25519Share   = 43 // an X25519 share or wrapped key, unpadded base64
)

// ErrMalformed: a bundle, signed or not, holds what no kiosk writes.
var ErrMalformed error = fault.E(fault.Invalid, "the bundle holds what no kiosk writes")

// malformed names the session or patient and its field.
func malformed(what, id, field, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s: field %s: %s", ErrMalformed, what, quote(id), field, fmt.Sprintf(format, args...))
}

// quote quotes at most 40 bytes of s: an id may be anything in a hostile
// bundle.
func quote(s string) string {
	if len(s) <= 40 {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:40]) + "…"
}

// checkHeader checks a header's words before an error or an accept
// repeats them: the site's name short text, at most maxRecipients keys of
// an age public key's length.
func checkHeader(h *Header) error {
	if err := checkName(h.Site); err != nil {
		return fmt.Errorf("%w: header: field site: %v", ErrMalformed, err)
	}
	if len(h.Recipients) > maxRecipients {
		return fmt.Errorf("%w: header: field recipients: %d keys, more than the %d allowed", ErrMalformed, len(h.Recipients), maxRecipients)
	}
	for i, k := range h.Recipients {
		if len(k) > maxRecipientKey {
			return fmt.Errorf("%w: header: field recipients[%d]: %d bytes, not a public key", ErrMalformed, i, len(k))
		}
	}
	return nil
}

// checkSession checks a session as a kiosk writes it: its id a UUIDv7,
// its kind and status known, its times in the stored layout, its patient
// id (if any) a UUIDv4, its sealed key and every record well formed.
func checkSession(ss *intakekiosk.SealedSession) error {
	bad := func(field, format string, args ...any) error {
		return malformed("session", ss.ID, field, format, args...)
	}
	if err := checkUUID(ss.ID, 7); err != nil {
		return bad("id", "%v", err)
	}
	if ss.Kind != intakekiosk.Screening && ss.Kind != intakekiosk.Checkin {
		return bad("kind", "%s is not a kind of session", quote(string(ss.Kind)))
	}
	if ss.Status != intakekiosk.InProgress && ss.Status != intakekiosk.New && ss.Status != intakekiosk.Incomplete {
		return bad("status", "%s is not a status", quote(string(ss.Status)))
	}
	for _, t := range []struct {
		field, value string
		need         bool
	}{{"started", ss.Started, true}, {"completed", ss.Completed, false}, {"ended", ss.Ended, false},
		{"printed", ss.Printed, false}, {"reviewed", ss.Reviewed, false}, {"acked", ss.Acked, false}} {
		if err := checkTime(t.value, t.need); err != nil {
			return bad(t.field, "%v", err)
		}
	}
	if err := checkName(ss.ReviewedBy); err != nil {
		return bad("reviewed_by", "%v", err)
	}
	if err := checkName(ss.AckedBy); err != nil {
		return bad("acked_by", "%v", err)
	}
	if ss.PatientID != "" {
		if err := checkUUID(ss.PatientID, 4); err != nil {
			return bad("patient_id", "%v", err)
		}
	}
	if field, err := checkSealed(ss.SealedKey, ss.Records); err != nil {
		return bad(field, "%v", err)
	}
	return nil
}

// checkPatient checks a returning patient as a kiosk writes one: its id a
// UUIDv4, its code hash 32 bytes (argon2id), its check-in hash 32 bytes
// and its check-in box sealed, or neither (a code issued before them),
// its creation time, its sealed key and records well formed.
func checkPatient(p *intakekiosk.SealedPatient) error {
	bad := func(field, format string, args ...any) error {
		return malformed("patient", p.ID, field, format, args...)
	}
	if err := checkUUID(p.ID, 4); err != nil {
		return bad("id", "%v", err)
	}
	if len(p.CodeHash) != 32 {
		return bad("code_hash", "%d bytes, not the 32 of a code's hash", len(p.CodeHash))
	}
	switch {
	case p.BirthHash == nil && p.CheckinSealed == nil:
		// a code issued before check-ins asked the date of birth
	case len(p.BirthHash) != 32:
		return bad("birth_hash", "%d bytes, not the 32 of a check-in hash", len(p.BirthHash))
	case len(p.CheckinSealed) != payloadOverhead+checkinBoxLen || p.CheckinSealed[0] != payloadVersion:
		return bad("checkin_sealed", "%d bytes, not a sealed check-in box", len(p.CheckinSealed))
	}
	if err := checkTime(p.Created, true); err != nil {
		return bad("created", "%v", err)
	}
	if field, err := checkSealed(p.SealedKey, p.Records); err != nil {
		return bad(field, "%v", err)
	}
	if err := p.CheckAsked(); err != nil {
		return bad("asked", "%v", err)
	}
	return nil
}

// checkUUID checks that s is a UUID of the version, written as uuid
// writes it (lower case, hyphens, no braces or prefix).
func checkUUID(s string, version uuid.Version) error {
	id, err := uuid.Parse(s)
	switch {
	case err != nil || id.String() != s:
		return fmt.Errorf("%s is not a UUID", quote(s))
	case id.Version() != version || id.Variant() != uuid.RFC4122:
		return fmt.Errorf("%s is not a version %d UUID", quote(s), version)
	}
	return nil
}

// checkTime checks that s is an instant in the stored layout, exactly as
// the store writes it; need says it may not be empty.
func checkTime(s string, need bool) error {
	if s == "" {
		if need {
			return fmt.Errorf("missing")
		}
		return nil
	}
	t, err := time.Parse(storedLayout, s)
	if err != nil || t.Format(storedLayout) != s {
		return fmt.Errorf("%s is not a stored time", quote(s))
	}
	return nil
}

// checkName checks a staff member's or a site's name: short, text, no
// control character.
func checkName(s string) error {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxStaffName || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("%s is not a staff name", quote(s))
	}
	return nil
}

// checkSealed checks a sealed data key and the records sealed with it,
// returning the field at fault.
func checkSealed(key []byte, recs []intakekiosk.SealedRecord) (string, error) {
	if err := checkSealedKey(key); err != nil {
		return "sealed_key", err
	}
	if len(recs) > maxRecords {
		return "records", fmt.Errorf("%d records, more than the %d allowed", len(recs), maxRecords)
	}
	for i, r := range recs {
		if err := checkTime(r.Recorded, true); err != nil {
			return fmt.Sprintf("records[%d].recorded", i), err
		}
		switch n := len(r.Payload); {
		case n > maxPayload:
			return fmt.Sprintf("records[%d].payload", i), fmt.Errorf("%d bytes, more than the %d allowed", n, maxPayload)
		case n < payloadOverhead || r.Payload[0] != payloadVersion:
			return fmt.Sprintf("records[%d].payload", i), fmt.Errorf("%d bytes, not a sealed payload", n)
		}
		if r.Writer != intakekiosk.LegacyWriter {
			if err := checkUUID(r.Writer, 4); err != nil {
				return fmt.Sprintf("records[%d].writer", i), err
			}
		}
	}
	if i, ok := exchange.CheckChains(recs); !ok {
		return fmt.Sprintf("records[%d].seq", i), fmt.Errorf("%d is not the next place of its writer's chain", recs[i].Seq)
	}
	return "", nil
}

// checkSealedKey checks that key is an age file as the vault seals a data
// key: a header (age parses it) of 1 to maxRecipients X25519 stanzas,
// then one sealed chunk of 32 bytes.
func checkSealedKey(key []byte) error {
	if len(key) > maxSealedKey {
		return fmt.Errorf("%d bytes, more than the %d allowed", len(key), maxSealedKey)
	}
	hdr, err := age.ExtractHeader(bytes.NewReader(key))
	if err != nil || !bytes.HasPrefix(key, hdr) {
		return fmt.Errorf("not an age header")
	}
	if n := len(key) - len(hdr); n != ageKeyBody {
		return fmt.Errorf("%d bytes after the header, not the %d of a data key", n, ageKeyBody)
	}
	// The header is canonical (age refuses any other): its intro line,
	// each stanza's "-> type args" line and its body lines, the MAC line.
	lines := strings.Split(strings.TrimSuffix(string(hdr), "\n"), "\n")
	stanzas := 0
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "--- ") {
			break
		}
		if !strings.HasPrefix(l, "-> ") {
			continue // a stanza's body
		}
		stanzas++
		args := strings.Fields(l[3:])
		if len(args) != 2 || args[0] != "X25519" || len(args[1]) != x25519Share || i+1 >= len(lines) || len(lines[i+1]) != x25519Share {
			return fmt.Errorf("stanza %d is not an X25519 recipient's", stanzas)
		}
	}
	if stanzas == 0 || stanzas > maxRecipients {
		return fmt.Errorf("%d recipients (1 to %d)", stanzas, maxRecipients)
	}
	return nil
}

// CheckItem checks an item that came from elsewhere (a bundle's line, the
// clinic network's server) before it reaches the importer: ids, kinds,
// times in the stored form, names, sealed keys and records well formed and
// each writer's chain in order. A malformed item is an Invalid error
// naming the session or patient and the field.
func CheckItem(it exchange.Item) error {
	switch {
	case it.Session != nil && it.Patient == nil:
		return checkSession(it.Session)
	case it.Patient != nil && it.Session == nil:
		return checkPatient(it.Patient)
	}
	return fault.E(fault.Invalid, "an item holds one session or one patient")
}
