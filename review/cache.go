package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// Cache is where an Index keeps the summaries it made between sign-ins,
// sealed with a key of the cache's own that the clinic key opens;
// *sqlite.Store provides it (migration 0012). A signed-in desk then
// reads a search's summaries with one key unwrap instead of one a
// session.
type Cache interface {
	// SummaryKey opens the cache's key with the clinic key, or makes a
	// new one (the cache dropped) when there is none or it does not open
	SummaryKey(ctx context.Context, clinic *vault.ClinicKey) (*vault.SessionKey, error)
	// CachedSummaries reads what the sessions named hold now and their
	// cached summaries, in one query
	CachedSummaries(ctx context.Context, ids []string) ([]sqlite.CachedSummary, error)
	// PutSummaries caches sealed summaries in one transaction
	PutSummaries(ctx context.Context, list []sqlite.SealedSummary) error
}

var _ Cache = (*sqlite.Store)(nil)

// cacheFormat is the form of a cached summary and of what it is made
// from: change it when Summary or summarize changes, and every summary
// cached before reads as stale.
const cacheFormat = "3"

// cached is what the cache gives an Open: its key (nil: no cache this
// time) and, by session id, what each session holds now and its cached
// summary.
type cached struct {
	key     *vault.SessionKey
	catalog string
	entries map[string]sqlite.CachedSummary
}

// passable says whether a cache error leaves the search to work without
// the cache: the database is busy, full or read-only. Anything else is a
// fault of the store, returned.
func passable(err error) bool {
	switch fault.KindOf(err) {
	case fault.Busy, fault.Full, fault.Permission:
		return true
	}
	return false
}

// fromCache reads the cache's entries for the rows to open (nil without
// a cache, or when the database cannot keep one now).
func (x *Index) fromCache(ctx context.Context, rows []Row, todo []int) (*cached, error) {
	if x.cache == nil {
		return nil, nil
	}
	key, catalog, err := x.cacheKey(ctx)
	if err != nil || key == nil {
		return nil, err
	}
	ids := make([]string, len(todo))
	for n, i := range todo {
		ids[n] = rows[i].Session.ID
	}
	list, err := x.cache.CachedSummaries(ctx, ids)
	if err != nil {
		return nil, err
	}
	c := &cached{key: key, catalog: catalog, entries: make(map[string]sqlite.CachedSummary, len(list))}
	for _, e := range list {
		c.entries[e.SessionID] = e
	}
	return c, nil
}

// cacheKey opens the cache's key once per Index (one unwrap a sign-in),
// with the digest of the instruments summaries are made with. A database
// that cannot keep a key now (busy, full, read-only) gives none, and the
// next Open tries again.
func (x *Index) cacheKey(ctx context.Context) (*vault.SessionKey, string, error) {
	x.keyMu.Lock()
	defer x.keyMu.Unlock()
	if x.ckey != nil {
		return x.ckey, x.catalog, nil
	}
	catalog, err := catalogDigest(x.cat)
	if err != nil {
		return nil, "", err
	}
	key, err := x.cache.SummaryKey(ctx, x.key)
	switch {
	case err != nil && passable(err):
		return nil, "", nil
	case err != nil:
		return nil, "", fmt.Errorf("summary cache: %w", err)
	}
	x.ckey, x.catalog = key, catalog
	return key, catalog, nil
}

// catalogDigest names the instruments a summary is scored with: a
// clinic's instrument changed, every summary reads as stale.
func catalogDigest(cat *screening.Catalog) (string, error) {
	h := sha256.New()
	for _, in := range cat.Instruments() {
		b, err := json.Marshal(in)
		if err != nil {
			return "", fmt.Errorf("summary cache: instrument %s: %w", in.ID, err)
		}
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// mark is what a summary of ss is made from, as a digest: the clear
// fields that enter it, its records and its patient's as they stand (e),
// the instruments and the form. It holds nothing the rows it digests do
// not show in clear.
func (c *cached) mark(ss intakekiosk.Session, e sqlite.CachedSummary) string {
	h := sha256.New()
	for _, f := range []string{cacheFormat, c.catalog, ss.ID, string(ss.Kind), string(ss.Status),
		strconv.FormatBool(ss.Urgent), strconv.FormatBool(ss.Attention),
		ss.Started.UTC().Format(time.RFC3339Nano), ss.Completed.UTC().Format(time.RFC3339Nano), ss.Ended.UTC().Format(time.RFC3339Nano),
		ss.PatientID, e.Records, e.Patient} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// summaryAD binds a sealed summary to its session and mark: one moved to
// another session, or kept under a mark it was not made for, does not
// open.
func summaryAD(sessionID, mark string) string { return "summary:" + sessionID + "#" + mark }

// open gives the cached summary of a session when it is still what the
// session holds (its mark is today's) and opens; anything else (none,
// stale, damaged, moved) is no summary, to be made again.
func (c *cached) open(ss intakekiosk.Session, mark string) (*Summary, bool) {
	e, ok := c.entries[ss.ID]
	if !ok || e.Mark != mark || e.Sealed == nil {
		return nil, false
	}
	plain, err := c.key.Open(summaryAD(ss.ID, mark), e.Sealed)
	if err != nil {
		return nil, false
	}
	s, err := decodeSummary(plain)
	if err != nil {
		return nil, false
	}
	s.names = nameWords(s.Identity)
	return s, true
}

// seal makes a summary's entry in the cache.
func (c *cached) seal(id, mark string, s *Summary) (sqlite.SealedSummary, error) {
	sealed, err := c.key.Seal(summaryAD(id, mark), encodeSummary(s))
	if err != nil {
		return sqlite.SealedSummary{}, fmt.Errorf("summary of session %s: %w", id, err)
	}
	return sqlite.SealedSummary{SessionID: id, Mark: mark, Sealed: sealed}, nil
}
