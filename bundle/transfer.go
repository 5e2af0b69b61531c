package bundle

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"intakekiosk/exchange"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// Destination is the transfer bundles' cursor: what a bundle of "all
// not yet exported" holds is marked sent to it.
const Destination = "bundle"

// here is where an import copies a bundle to: this database. An import
// marks nothing sent, so it moves no cursor.
const here = "here"

// Store is what Export reads; *sqlite.Store provides it.
type Store interface {
	exchange.Source
	SigningKey(ctx context.Context, clinic *vault.ClinicKey, at time.Time) (ed25519.PrivateKey, error)
	Settings(ctx context.Context) (settings.Settings, error)
	Recipients(ctx context.Context) ([]string, error)
}

// Export writes a bundle signed with this site's key (opened with the
// unlocked staff member's clinic key): the finished sessions started
// since, or (since zero) those not yet exported or changed since, with
// the patients they name and, since zero, the patients not yet exported
// or changed since. It returns what it wrote: once the bundle is safe
// where it goes, the caller marks it sent (sqlite.MarkSent: at the time
// given here, so that a change made while the bundle was written goes in
// the next one).
// notice is the 42 CFR 2.32 notice of a bundle disclosed to another
// program ("" for the program's own sites).
func Export(ctx context.Context, w io.Writer, st Store, clinic *vault.ClinicKey, since time.Time, at time.Time, notice string) (exchange.Sent, error) {
	none := exchange.Sent{Dest: Destination, At: at}
	priv, err := st.SigningKey(ctx, clinic, at)
	if err != nil {
		return none, err
	}
	settings, err := st.Settings(ctx)
	if err != nil {
		return none, err
	}
	recipients, err := st.Recipients(ctx)
	if err != nil {
		return none, err
	}
	site := settings.SiteName
	if site == "" {
		site = settings.ClinicName
	}
	bw, err := NewWriter(w, Header{Site: site, Recipients: recipients, Created: at.UTC(), Notice: notice}, priv)
	if err != nil {
		return none, err
	}
	sent, err := exchange.Copy(ctx, st, bw, Destination, since, at)
	if err != nil {
		return none, err
	}
	if err := bw.Close(); err != nil {
		return none, err
	}
	return sent, nil
}

// Result is what an import did.
type Result struct {
	// Site is the registered name of the site the bundle came from.
	Site string
	// ImportCounts say what became of the bundle's sessions and
	// patients.
	sqlite.ImportCounts
}

// Import adds a bundle's sessions to st in one reading of it, in one
// transaction: its header is judged first (format, version, a registered
// site, sealed to this clinic) before anything is added, each session and
// patient is checked before it goes to the store's Importer (which applies
// exchange.Merge), and the digest and signature at the end decide whether
// the transaction commits: a bundle refused at any point (changed, cut
// short, malformed, not the site's) is rolled back, and the database is as
// it was. Sessions and patients already here take the bundle's later
// records; importing twice adds nothing.
func Import(ctx context.Context, open func() (io.ReadCloser, error), st *sqlite.Store, by string, at time.Time) (Result, error) {
	sites, err := st.Sites(ctx)
	if err != nil {
		return Result{}, err
	}
	ours, err := st.Recipients(ctx)
	if err != nil {
		return Result{}, err
	}
	var res Result
	accept := func(h Header) error {
		i := slices.IndexFunc(sites, func(s sqlite.Site) bool { return bytes.Equal(s.PublicKey, ed25519.PublicKey(h.SiteKey)) })
		if i < 0 {
			return fmt.Errorf("%w (bundle of %q): register it with kioskctl sites add NAME KEYFILE", ErrUnknownKey, h.Site)
		}
		res.Site = sites[i].Name
		for _, k := range h.Recipients {
			if slices.Contains(ours, k) {
				return nil
			}
		}
		return fmt.Errorf("the bundle of %s is not sealed to this clinic's key: this clinic could not open it (the site was set up with another clinic key)", res.Site)
	}
	sink := &importSink{st: st, site: &res.Site}
	if _, err := exchange.Copy(ctx, NewSource(open, accept), sink, here, time.Time{}, at); err != nil {
		sink.rollback()
		return Result{}, err
	}
	im, err := sink.importer(ctx) // a bundle of no sessions is imported too
	if err != nil {
		return Result{}, err
	}
	res.ImportCounts = im.Counts()
	err = im.Commit(ctx, sqlite.Entry{At: at, Actor: by, Action: sqlite.ActImport, Target: res.Site, Detail: "bundle: " + res.Summary()})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// importSink is the store's Importer as the sink of an import, begun at
// the first item: by then the bundle's header named its site.
type importSink struct {
	st   *sqlite.Store
	site *string
	im   *sqlite.Importer
}

func (s *importSink) importer(ctx context.Context) (*sqlite.Importer, error) {
	if s.im == nil {
		im, err := s.st.Import(ctx, *s.site)
		if err != nil {
			return nil, err
		}
		s.im = im
	}
	return s.im, nil
}

// Put gives an item to the Importer.
func (s *importSink) Put(ctx context.Context, it exchange.Item) error {
	im, err := s.importer(ctx)
	if err != nil {
		return err
	}
	return im.Put(ctx, it)
}

func (s *importSink) rollback() {
	if s.im != nil {
		s.im.Rollback()
	}
}

// Summary says what an import did in a line: "12 sessions added, 3
// updated with later records, 40 already here; 2 returning patients
// added", and the sessions whose copy here differs, by id.
func (c Result) Summary() string {
	s := fmt.Sprintf("%d sessions added, %d updated with later records, %d already here", c.Added, c.Updated, c.Existing)
	if c.PatientsAdded > 0 {
		s += fmt.Sprintf("; %d returning patients added", c.PatientsAdded)
	}
	if c.PatientsUpdated > 0 {
		s += fmt.Sprintf("; %d returning patients updated", c.PatientsUpdated)
	}
	if c.Differ > 0 {
		s += fmt.Sprintf("; %d sessions differ from the copy here (one writer's records there are not the ones here: a copied database?), their records left as they are: %s",
			c.Differ, someIDs(c.DifferIDs))
	}
	if c.PatientsDiffer > 0 {
		s += fmt.Sprintf("; %d returning patients differ from the copy here (one writer's records there are not the ones here), left as they are: %s",
			c.PatientsDiffer, someIDs(c.PatientsDifferIDs))
	}
	return s
}

// someIDs lists up to ten ids, then says how many more.
func someIDs(ids []string) string {
	s := strings.Join(ids[:min(len(ids), 10)], ", ")
	if len(ids) > 10 {
		s += fmt.Sprintf(" and %d more", len(ids)-10)
	}
	return s
}
