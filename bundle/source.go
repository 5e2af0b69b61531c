package bundle

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"intakekiosk"
	"intakekiosk/exchange"
)

// Source is a bundle read as an exchange.Source. Unsent reads it giving
// its sessions and patients in order, each checked first (the header,
// accepted, before any), and fails at the end line when the digest or
// the site's signature does not hold: whatever a failed Unsent gave must
// be dropped (an import gives the items to a sink in one transaction,
// sqlite.Importer, and rolls it back). NewSource reads it once that way;
// Check reads it whole first, and Unsent then fails too when its reading
// is not the one checked (the file changed in between).
type Source struct {
	open   func() (io.ReadCloser, error)
	accept func(Header) error
	head   Header
	digest []byte
}

var _ exchange.Source = (*Source)(nil)

// NewSource is the bundle open gives as a Source read once, accept
// judging its header before it gives anything.
func NewSource(open func() (io.ReadCloser, error), accept func(Header) error) *Source {
	return &Source{open: open, accept: accept}
}

// Check reads the bundle open gives whole, accept judging its header
// (the site registered, the bundle sealed to this clinic) before
// anything else, and returns it as a Source to read again. A bundle
// refused is ErrNotBundle, ErrVersion, ErrDamaged, ErrUnknownKey or
// accept's error.
func Check(open func() (io.ReadCloser, error), accept func(Header) error) (*Source, error) {
	head, end, err := readOpened(open, accept, nil)
	if err != nil {
		return nil, err
	}
	return &Source{open: open, accept: accept, head: head, digest: end.Digest}, nil
}

// Header is the checked bundle's header.
func (s *Source) Header() Header { return s.head }

// Unsent gives fn every session and patient of the bundle, in its
// order (a second time after Check). A bundle holds what it holds: dest
// and since ask nothing of it (what a destination has already,
// exchange.Merge finds there). A changed file is ErrDamaged.
func (s *Source) Unsent(_ context.Context, _ string, _ time.Time, fn func(exchange.Item) error) error {
	_, end, err := readOpened(s.open, s.accept, func(ss *intakekiosk.SealedSession, p *intakekiosk.SealedPatient) error {
		return fn(exchange.Item{Session: ss, Patient: p})
	})
	if err == nil && s.digest != nil && !bytes.Equal(end.Digest, s.digest) {
		err = fmt.Errorf("%w: the file changed between two readings", ErrDamaged)
	}
	return err
}

// readOpened reads the bundle open gives (see Read) and closes it.
func readOpened(open func() (io.ReadCloser, error), accept func(Header) error, fn func(*intakekiosk.SealedSession, *intakekiosk.SealedPatient) error) (Header, End, error) {
	f, err := open()
	if err != nil {
		return Header{}, End{}, err
	}
	defer f.Close()
	return Read(f, accept, fn)
}
