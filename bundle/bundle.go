// Package bundle is the transfer bundle a satellite clinic carries to
// the main clinic on a USB stick: its sessions still sealed (to the
// site's and the main clinic's keys), signed with the site's Ed25519 key.
//
// A bundle is JSON lines: a header (format, version, site, its signing
// key, the keys every session is sealed to), one line per session and per
// returning patient, and an end line with the counts, the SHA-256 of
// every line before it and the site's signature of that digest. Writing
// and reading stream: memory stays flat whatever the size. A reader
// checks everything (format, version, site, digest, signature) by the end
// line; an import reads once, giving each session and patient (checked)
// to the store's Importer in one transaction that commits only once the
// end line's digest and signature hold (Check and Source read a bundle
// whole first, for a caller that must know before it copies).
package bundle

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"intakekiosk"
	"intakekiosk/exchange"
	"intakekiosk/fault"
)

// Format names a transfer bundle; Version is the one this kiosk writes.
// It reads that one and the older: version 1's sessions held reviewed and
// printed as steps of their status (read through intakekiosk.Legacy),
// fields of their own since version 2; the records of versions 1 and 2
// came without their writer and place, all of the one legacy chain
// (intakekiosk.LegacyChain), named since version 3; a patient's check-in
// hash and box (birth_hash, checkin_sealed) came with version 4, and a
// patient of an older bundle reads as a code issued before them.
const (
	Format  = "intakekiosk-bundle"
	Version = 4
)

// Limits of a bundle a reader accepts.
const (
	maxLine  = 32 << 20 // one session with its records
	maxItems = 10_000_000
)

// Header opens a bundle.
type Header struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Site is the satellite's name (its site_name setting).
	Site string `json:"site"`
	// SiteKey is the site's Ed25519 signing key.
	SiteKey []byte `json:"site_key"`
	// Recipients are the public keys (age) every session is sealed to.
	Recipients []string  `json:"recipients"`
	Created    time.Time `json:"created"`
	// Notice is the 42 CFR 2.32 notice (consent.Statement) in a bundle
	// disclosed to another program; "" in one to the program's own sites.
	Notice string `json:"notice,omitempty"`
}

// End closes a bundle.
type End struct {
	Sessions int `json:"sessions"`
	Patients int `json:"patients"`
	// Digest is the SHA-256 of every line before the end line.
	Digest []byte `json:"digest"`
	// Signature is the site key's signature of signed(version, Digest).
	Signature []byte `json:"signature"`
}

// line is one line of a bundle: exactly one field is set.
type line struct {
	Header  *Header                    `json:"header,omitempty"`
	Session *intakekiosk.SealedSession `json:"session,omitempty"`
	Patient *intakekiosk.SealedPatient `json:"patient,omitempty"`
	End     *End                       `json:"end,omitempty"`
}

// signed is what the site signs: the format, version and digest.
func signed(version int, digest []byte) []byte {
	return append([]byte(fmt.Sprintf("%s v%d\n", Format, version)), digest...)
}

// fromV1 reads a version 1 bundle's session: a status of the old ladder
// (reviewed, printed) becomes that mark, at the session's end (the bundle
// held no other time), and a print is not a review.
func fromV1(ss *intakekiosk.SealedSession) {
	st, reviewed, printed := intakekiosk.Legacy(ss.Status, ss.Completed != "")
	ss.Status = st
	if reviewed {
		ss.Reviewed = ss.Ended
	}
	if printed {
		ss.Printed = ss.Ended
	}
}

// Writer writes a bundle.
type Writer struct {
	version  int
	w        *bufio.Writer
	h        hash.Hash
	priv     ed25519.PrivateKey
	sessions int
	patients int
	err      error
}

// NewWriter starts a bundle on w, signed with priv; h's Format, Version
// and SiteKey are filled in.
func NewWriter(w io.Writer, h Header, priv ed25519.PrivateKey) (*Writer, error) {
	return newWriter(w, h, priv, Version)
}

// newWriter starts a bundle of a format version (an older one only in
// the tests, to read what older kiosks wrote).
func newWriter(w io.Writer, h Header, priv ed25519.PrivateKey, version int) (*Writer, error) {
	h.Format, h.Version, h.SiteKey = Format, version, priv.Public().(ed25519.PublicKey)
	bw := &Writer{version: version, w: bufio.NewWriterSize(w, 1<<16), h: sha256.New(), priv: priv}
	bw.line(line{Header: &h})
	return bw, bw.err
}

func (bw *Writer) line(l line) {
	if bw.err != nil {
		return
	}
	b, err := json.Marshal(l)
	if err != nil {
		bw.err = err
		return
	}
	b = append(b, '\n')
	bw.h.Write(b)
	_, bw.err = bw.w.Write(b)
}

// Session adds a sealed session.
func (bw *Writer) Session(ss intakekiosk.SealedSession) error {
	bw.line(line{Session: &ss})
	bw.sessions++
	return bw.err
}

// Patient adds a sealed patient.
func (bw *Writer) Patient(p intakekiosk.SealedPatient) error {
	bw.line(line{Patient: &p})
	bw.patients++
	return bw.err
}

// Put writes an item: the Writer is a sink of the exchange.
func (bw *Writer) Put(_ context.Context, it exchange.Item) error {
	switch {
	case it.Session != nil:
		return bw.Session(*it.Session)
	case it.Patient != nil:
		return bw.Patient(*it.Patient)
	}
	return nil
}

// Close signs and ends the bundle.
func (bw *Writer) Close() error {
	if bw.err != nil {
		return fmt.Errorf("bundle: %w", bw.err)
	}
	digest := bw.h.Sum(nil)
	end := End{Sessions: bw.sessions, Patients: bw.patients, Digest: digest, Signature: ed25519.Sign(bw.priv, signed(bw.version, digest))}
	b, err := json.Marshal(line{End: &end})
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if _, err := bw.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := bw.w.Flush(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// Errors of a bundle refused.
var (
	ErrNotBundle  error = fault.E(fault.Invalid, "not a transfer bundle")
	ErrVersion    error = fault.E(fault.TooNew, "a transfer bundle of another format version")
	ErrDamaged    error = fault.E(fault.Corrupt, "the bundle was changed or cut short (its digest or signature does not match)")
	ErrUnknownKey error = fault.E(fault.Permission, "the bundle is signed by a site this clinic has not registered")
)

// Read reads a bundle from r: accept judges the header (the site
// registered, the bundle sealed to this clinic) before anything else, fn
// (when set) takes each session and patient in order. The digest and
// signature are checked at the end line: an error then means fn was
// given data that must be dropped.
func Read(r io.Reader, accept func(Header) error, fn func(*intakekiosk.SealedSession, *intakekiosk.SealedPatient) error) (Header, End, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	h := sha256.New()
	var head Header
	var end *End
	sessions, patients := 0, 0
	var size int64
	// bad is the first session or patient that is not well formed
	// (checkSession): fn is given nothing from there, and the bundle is
	// refused with it once it is known to be the site's (a bundle changed
	// on the way is ErrDamaged, whatever it holds).
	var bad error
	for n := 0; ; n++ {
		raw, err := readLine(br)
		if errors.Is(err, io.EOF) && len(raw) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return head, End{}, err
		}
		if size += int64(len(raw)) + 1; size > maxBundle {
			return head, End{}, fmt.Errorf("%w: larger than %d bytes", ErrMalformed, int64(maxBundle))
		}
		if end != nil {
			return head, End{}, fmt.Errorf("%w: lines after the end", ErrDamaged)
		}
		var l line
		if jerr := json.Unmarshal(raw, &l); jerr != nil {
			if n == 0 {
				return head, End{}, ErrNotBundle
			}
			return head, End{}, fmt.Errorf("%w: line %d is not JSON", ErrDamaged, n+1)
		}
		switch {
		case n == 0:
			if l.Header == nil || l.Header.Format != Format {
				return head, End{}, ErrNotBundle
			}
			head = *l.Header
			if head.Version < 1 || head.Version > Version {
				return head, End{}, fmt.Errorf("%w: version %d; this kiosk reads versions 1 to %d", ErrVersion, head.Version, Version)
			}
			if len(head.SiteKey) != ed25519.PublicKeySize {
				return head, End{}, fmt.Errorf("%w: no site key", ErrDamaged)
			}
			if err := checkHeader(&head); err != nil {
				return head, End{}, err
			}
			if accept != nil {
				if err := accept(head); err != nil {
					return head, End{}, err
				}
			}
		case l.End != nil:
			end = l.End
			continue // the end line is not in the digest
		case l.Session != nil:
			sessions++
			if head.Version == 1 {
				fromV1(l.Session)
			}
			if head.Version < 3 {
				intakekiosk.LegacyChain(l.Session.Records)
			}
			if err := checkSession(l.Session); err != nil && bad == nil {
				bad = err
			}
			if fn != nil && bad == nil {
				if err := fn(l.Session, nil); err != nil {
					return head, End{}, err
				}
			}
		case l.Patient != nil:
			patients++
			if head.Version < 3 {
				intakekiosk.LegacyChain(l.Patient.Records)
			}
			if head.Version < 4 {
				l.Patient.BirthHash, l.Patient.CheckinSealed = nil, nil
			}
			if err := checkPatient(l.Patient); err != nil && bad == nil {
				bad = err
			}
			if fn != nil && bad == nil {
				if err := fn(nil, l.Patient); err != nil {
					return head, End{}, err
				}
			}
		default:
			return head, End{}, fmt.Errorf("%w: line %d holds nothing known", ErrDamaged, n+1)
		}
		if sessions+patients > maxItems {
			return head, End{}, fmt.Errorf("%w: more than %d items", ErrDamaged, maxItems)
		}
		h.Write(raw)
		h.Write([]byte{'\n'})
	}
	switch {
	case end == nil:
		return head, End{}, fmt.Errorf("%w: no end line", ErrDamaged)
	case end.Sessions != sessions || end.Patients != patients:
		return head, *end, fmt.Errorf("%w: %d sessions and %d patients, the end line says %d and %d", ErrDamaged, sessions, patients, end.Sessions, end.Patients)
	case !bytes.Equal(h.Sum(nil), end.Digest):
		return head, *end, ErrDamaged
	case !ed25519.Verify(ed25519.PublicKey(head.SiteKey), signed(head.Version, end.Digest), end.Signature):
		return head, *end, fmt.Errorf("%w: the signature is not the site's", ErrDamaged)
	case bad != nil:
		return head, *end, bad
	}
	return head, *end, nil
}

// readLine reads one line without its newline, refusing one longer than
// maxLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		part, err := br.ReadSlice('\n')
		buf = append(buf, part...)
		if len(buf) > maxLine {
			return nil, fmt.Errorf("%w: a line longer than %d bytes", ErrDamaged, maxLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == nil {
			return buf[:len(buf)-1], nil
		}
		return buf, err
	}
}
