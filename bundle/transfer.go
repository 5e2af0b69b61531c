package bundle

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"slices"
	"time"

	"intakekiosk/store"
	"intakekiosk/vault"
)

// Export writes the finished sessions started since (zero: those not yet
// exported) as a bundle signed with this site's key (opened with the
// unlocked staff member's clinic key). It returns the sessions' ids: the
// caller marks them exported (store.MarkExported) once the bundle is safe
// where it goes.
func Export(ctx context.Context, w io.Writer, st *store.Store, clinic *vault.ClinicKey, since time.Time, at time.Time) ([]string, error) {
	priv, err := st.SigningKey(ctx, clinic, at)
	if err != nil {
		return nil, err
	}
	settings, err := st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	recipients, err := st.Recipients(ctx)
	if err != nil {
		return nil, err
	}
	site := settings.SiteName
	if site == "" {
		site = settings.ClinicName
	}
	bw, err := NewWriter(w, Header{Site: site, Recipients: recipients, Created: at.UTC()}, priv)
	if err != nil {
		return nil, err
	}
	var ids []string
	err = st.EachSealed(ctx, since, since.IsZero(),
		func(ss store.SealedSession) error {
			ids = append(ids, ss.ID)
			return bw.Session(ss)
		},
		func(p store.SealedPatient) error { return bw.Patient(p) })
	if err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	return ids, nil
}

// Result is what an import did.
type Result struct {
	// Site is the registered name of the site the bundle came from.
	Site string
	// Added and Existing count the sessions added and those already here.
	Added, Existing int
}

// Import adds a bundle's sessions to st, in two readings of it (open is
// called for each): the first checks it whole (format, version, a
// registered site's signature, sealed to this clinic, nothing changed or
// cut), the second adds its sessions in one transaction, dropped if that
// reading does not check the same. A refused bundle leaves the database
// as it was. Sessions already here are left as they are: importing twice
// adds nothing.
func Import(ctx context.Context, open func() (io.ReadCloser, error), st *store.Store, by string, at time.Time) (Result, error) {
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
		i := slices.IndexFunc(sites, func(s store.Site) bool { return bytes.Equal(s.PublicKey, ed25519.PublicKey(h.SiteKey)) })
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
	read := func(fn func(*store.SealedSession, *store.SealedPatient) error) (End, error) {
		f, err := open()
		if err != nil {
			return End{}, err
		}
		defer f.Close()
		_, end, err := Read(f, accept, fn)
		return end, err
	}
	first, err := read(nil)
	if err != nil {
		return Result{}, err
	}
	im, err := st.Import(ctx, res.Site)
	if err != nil {
		return Result{}, err
	}
	second, err := read(func(ss *store.SealedSession, p *store.SealedPatient) error {
		if ss != nil {
			return im.Session(ctx, *ss)
		}
		return im.Patient(ctx, *p)
	})
	if err == nil && !bytes.Equal(first.Digest, second.Digest) {
		err = fmt.Errorf("%w: the file changed between two readings", ErrDamaged)
	}
	if err != nil {
		im.Rollback()
		return Result{}, err
	}
	res.Added, res.Existing = im.Counts()
	err = im.Commit(ctx, store.Entry{At: at, Actor: by, Action: store.ActImport, Target: res.Site,
		Detail: fmt.Sprintf("bundle: %d sessions added, %d already here", res.Added, res.Existing)})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}
