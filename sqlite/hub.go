package sqlite

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/exchange"
	"intakekiosk/fault"
	"intakekiosk/settings"
)

// What the clinic network puts on record here (counts, never contents).
const (
	ActJoined = "network_joined"
	ActPushed = "network_pushed"
	ActPulled = "network_pulled"
	ActRevoke = "network_revoked"
	// ActHubRefused: an item from the server did not hold (a signature,
	// a number out of order, a malformed line) and the pull stopped.
	ActHubRefused = "network_refused"
)

// ActorNetwork is the actor of what the sync puts on record: the node
// itself, no person.
const ActorNetwork = "network"

// Change is one session or patient that changed here, at its latest
// change (Rev, this database's change clock), sealed as it now is; or
// one of the clinic's settings (Setting, its key and value; a node's own
// settings are not given).
type Change struct {
	Rev  int64
	Item exchange.Item
	// Site is where the session began ("" for here).
	Site    string
	Setting *Setting
}

// Setting is a setting's key and stored value.
type Setting struct{ Key, Value string }

// Changes gives, oldest first, at most limit sessions and patients that
// changed here after rev after (the change log migration 0011 fills:
// records added, a status, a mark or an acknowledgement set), whole and
// sealed, sessions still in progress too: what the clinic network's
// server has not had. A session or patient since purged is passed over.
// It returns the rev of the last change read (after, when none).
func (s *Store) Changes(ctx context.Context, after int64, limit int, fn func(Change) error) (int64, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT kind, id, rev FROM changes WHERE rev > ? ORDER BY rev LIMIT ?", after, limit)
	if err != nil {
		return after, fmt.Errorf("read changes: %w", classify(err))
	}
	type change struct {
		kind, id string
		rev      int64
	}
	var list []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.kind, &c.id, &c.rev); err != nil {
			rows.Close()
			return after, fmt.Errorf("read changes: %w", err)
		}
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return after, fmt.Errorf("read changes: %w", classify(err))
	}
	last := after
	for _, c := range list {
		ch := Change{Rev: c.rev}
		var err error
		switch c.kind {
		case "session":
			var ss *intakekiosk.SealedSession
			ss, ch.Site, err = s.sealedSession(ctx, c.id)
			ch.Item.Session = ss
		case "patient":
			ch.Item.Patient, err = s.sealedPatient(ctx, c.id)
		case "setting":
			if d, lerr := settings.Lookup(c.id); lerr == nil && !d.Local() {
				var v string
				if v, err = s.Setting(ctx, c.id); err == nil {
					ch.Setting = &Setting{Key: c.id, Value: v}
				}
			}
		}
		if err != nil {
			return last, err
		}
		if ch.Item.Session != nil || ch.Item.Patient != nil || ch.Setting != nil {
			if err := fn(ch); err != nil {
				return last, err
			}
		}
		last = c.rev
	}
	return last, nil
}

// sealedSession reads session id whole and sealed (nil: not here) and
// where it began.
func (s *Store) sealedSession(ctx context.Context, id string) (*intakekiosk.SealedSession, string, error) {
	var ss intakekiosk.SealedSession
	var site string
	err := s.read.QueryRowContext(ctx, `SELECT id, kind, status, started, coalesce(completed, ''), coalesce(ended, ''), urgent,
			attention, coalesce(printed, ''), coalesce(reviewed, ''), reviewed_by, coalesce(acked, ''), acked_by,
			coalesce(patient_id, ''), sealed_key, coalesce(site, '') FROM sessions WHERE id = ?`, id).
		Scan(&ss.ID, &ss.Kind, &ss.Status, &ss.Started, &ss.Completed, &ss.Ended, &ss.Urgent, &ss.Attention, &ss.Printed,
			&ss.Reviewed, &ss.ReviewedBy, &ss.Acked, &ss.AckedBy, &ss.PatientID, &ss.SealedKey, &site)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read session: %w", classify(err))
	}
	if ss.Records, err = s.sealedRecords(ctx, "SELECT r.recorded, r.payload, coalesce(w.id, ''), r.seq FROM "+withWriter("records")+" WHERE r.session_id = ? ORDER BY r.id", id); err != nil {
		return nil, "", err
	}
	return &ss, site, nil
}

// sealedPatient reads patient id whole and sealed (nil: not here).
func (s *Store) sealedPatient(ctx context.Context, id string) (*intakekiosk.SealedPatient, error) {
	var p intakekiosk.SealedPatient
	err := s.read.QueryRowContext(ctx, "SELECT id, code_hash, birth_hash, checkin_sealed, sealed_key, created FROM patients WHERE id = ?", id).
		Scan(&p.ID, &p.CodeHash, &p.BirthHash, &p.CheckinSealed, &p.SealedKey, &p.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read patient: %w", classify(err))
	}
	if p.Records, err = s.sealedRecords(ctx, "SELECT r.recorded, r.payload, coalesce(w.id, ''), r.seq FROM "+withWriter("patient_records")+" WHERE r.patient_id = ? ORDER BY r.id", id); err != nil {
		return nil, err
	}
	if p.Asked, err = askedOf(ctx, s.read, id); err != nil {
		return nil, fmt.Errorf("read patient: %w", err)
	}
	return &p, nil
}

// HubCursor is where this database stands with the clinic network's
// server: the last change pushed (a rev of the change clock), the last
// item pulled (the server's sequence), and how many sessions and
// patients changed here since the push, with the oldest change's time
// unknown (clocks are not kept per change): Pending counts them.
type HubCursor struct {
	Pushed, Pulled int64
	Clock          int64
	Pending        int
}

// Hub reads where this database stands with the server.
func (s *Store) Hub(ctx context.Context) (HubCursor, error) {
	var c HubCursor
	err := s.read.QueryRowContext(ctx, `SELECT h.pushed, h.pulled, k.rev, (SELECT count(*) FROM changes WHERE rev > h.pushed)
		FROM hub_cursor h, change_clock k`).Scan(&c.Pushed, &c.Pulled, &c.Clock, &c.Pending)
	if err != nil {
		return c, fmt.Errorf("read hub cursor: %w", classify(err))
	}
	return c, nil
}

// ChangeClock is the change clock's reading: it moves with every change
// here that the server has to get (a cheap read to poll).
func (s *Store) ChangeClock(ctx context.Context) (int64, error) {
	var rev int64
	if err := s.read.QueryRowContext(ctx, "SELECT rev FROM change_clock").Scan(&rev); err != nil {
		return 0, fmt.Errorf("read change clock: %w", classify(err))
	}
	return rev, nil
}

// Pushed moves the push cursor forward to rev (never back) with the
// audit entry e, in one transaction: the server committed everything up
// to it.
func (s *Store) Pushed(ctx context.Context, rev int64, e Entry) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE hub_cursor SET pushed = max(pushed, ?)", rev); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("mark pushed: %w", err)
	}
	return nil
}

// Seen is the last number seen of each node's items of each kind, by
// node and kind.
func (s *Store) Seen(ctx context.Context) (map[[2]string]int64, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT node, kind, n FROM hub_seen")
	if err != nil {
		return nil, fmt.Errorf("read hub numbers: %w", classify(err))
	}
	defer rows.Close()
	out := map[[2]string]int64{}
	for rows.Next() {
		var node, kind string
		var n int64
		if err := rows.Scan(&node, &kind, &n); err != nil {
			return nil, fmt.Errorf("read hub numbers: %w", err)
		}
		out[[2]string{node, kind}] = n
	}
	return out, classify(rows.Err())
}

// Pull starts applying what the clinic network's server holds in one
// transaction, as an import does (Commit or Rollback ends it): sessions
// still in progress at a kiosk come too, and what it changes here is not
// heard as this node's change.
func (s *Store) Pull(ctx context.Context) (*Importer, error) {
	return s.importer(ctx, "", true)
}

// Ack sets the acknowledgement of session id's alert where it has none
// (the first answer stands); a session not here is passed over.
func (im *Importer) Ack(ctx context.Context, id, by, at string) error {
	if err := checkStored(nil, []byte{1}, at); err != nil {
		return fmt.Errorf("acknowledgement of %s: %w", id, err)
	}
	_, err := im.tx.ExecContext(ctx, "UPDATE sessions SET acked = ?, acked_by = ? WHERE id = ? AND acked IS NULL", at, by, id)
	if err != nil {
		return fmt.Errorf("acknowledgement of %s: %w", id, classify(err))
	}
	return nil
}

// Setting sets one of the clinic's settings as another node changed it
// (a node's own, and a key or value this release does not take, are
// refused: Invalid); it reports whether the value here changed, for the
// pull's audit entry to name.
func (im *Importer) Setting(ctx context.Context, key, value string) (bool, error) {
	d, err := settings.Lookup(key)
	if err != nil {
		return false, err
	}
	if d.Local() {
		return false, fmt.Errorf("setting %s: %w", key, errLocalSetting)
	}
	if err := d.Check(value); err != nil {
		return false, err
	}
	var was string
	err = im.tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&was)
	if err == nil && was == value {
		return false, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, classify(err)
	}
	_, err = im.tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err == nil, classify(err)
}

// errLocalSetting: a node's own setting came from another.
var errLocalSetting = fault.E(fault.Invalid, "a node's own setting does not travel")

// Saw notes the number of the last item seen of a node's kind, and
// Reached the server's sequence pulled up to; both are kept at Commit.
func (im *Importer) Saw(ctx context.Context, node, kind string, n int64) error {
	_, err := im.tx.ExecContext(ctx, `INSERT INTO hub_seen (node, kind, n) VALUES (?, ?, ?)
		ON CONFLICT (node, kind) DO UPDATE SET n = max(n, excluded.n)`, node, kind, n)
	return classify(err)
}

// Reached moves the pull cursor to the server's sequence hub.
func (im *Importer) Reached(ctx context.Context, hub int64) error {
	_, err := im.tx.ExecContext(ctx, "UPDATE hub_cursor SET pulled = max(pulled, ?)", hub)
	return classify(err)
}

// NewWriter gives this database a new writer id (a copy of another
// node's database joining the clinic network must not continue that
// node's chains): records already here keep the writer they have.
func (s *Store) NewWriter(ctx context.Context) (string, error) {
	id, err := uuid.NewRandomFromReader(s.rand)
	if err != nil {
		return "", err
	}
	var n int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE node SET writer = ? WHERE one = 1", id.String()); err != nil {
			return err
		}
		var err error
		n, err = writerNumber(ctx, tx, id.String())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("new writer: %w", classify(err))
	}
	s.writer, s.writerN = id.String(), n
	return s.writer, nil
}

// SiteKeys are the public halves of the site keys this database trusts:
// its own (nil until first made) and each registered site's. A node of
// the clinic network is trusted when one of them endorsed it.
func (s *Store) SiteKeys(ctx context.Context) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	var own []byte
	err := s.read.QueryRowContext(ctx, "SELECT public_key FROM site_key WHERE one = 1").Scan(&own)
	switch {
	case err == nil:
		keys = append(keys, ed25519.PublicKey(own))
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("site keys: %w", classify(err))
	}
	sites, err := s.Sites(ctx)
	if err != nil {
		return nil, err
	}
	for _, st := range sites {
		keys = append(keys, st.PublicKey)
	}
	return keys, nil
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }
