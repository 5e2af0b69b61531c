package hub

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"intakekiosk/bundle"
	"intakekiosk/exchange"
	"intakekiosk/fault"
	"intakekiosk/sqlite"
)

// Store is the node's own database as the network uses it (sqlite.Store).
type Store interface {
	Changes(ctx context.Context, after int64, limit int, fn func(sqlite.Change) error) (int64, error)
	Hub(ctx context.Context) (sqlite.HubCursor, error)
	ChangeClock(ctx context.Context) (int64, error)
	Pushed(ctx context.Context, rev int64, e sqlite.Entry) error
	Seen(ctx context.Context) (map[[2]string]int64, error)
	Pull(ctx context.Context) (*sqlite.Importer, error)
	SiteKeys(ctx context.Context) ([]ed25519.PublicKey, error)
	Audit(ctx context.Context, e sqlite.Entry) error
}

// Node is this kiosk or desk in the clinic network: it pushes what
// changed here and pulls what the others pushed.
type Node struct {
	store Store
	cfg   Config
	now   func() time.Time
	// Poll is how often the change clock is read for something to push.
	Poll time.Duration
}

// NewNode is the node cfg names, on its database store, with the clock
// now.
func NewNode(store Store, cfg Config, now func() time.Time) *Node {
	return &Node{store: store, cfg: cfg, now: now, Poll: 50 * time.Millisecond}
}

// batch is how many changes one push transaction carries, and how many
// items one pull applies in one SQLite transaction.
const batch = 500

// Pushed is what one push sent.
type Pushed struct {
	Sessions, Patients, Acks, Settings int
	// Held are the items the server already had (a retry, a copy another
	// node pushed): nothing was added for them.
	Held int
}

// Push sends the server every change here after the push cursor, in
// order, a batch per transaction: each committed batch moves the cursor
// (with its audit entry, counts only), so a push cut off resumes where
// the server's last commit left it, and a batch sent again adds nothing.
func (n *Node) Push(ctx context.Context, conn *pgx.Conn) (Pushed, error) {
	var total Pushed
	cur, err := n.store.Hub(ctx)
	if err != nil {
		return total, err
	}
	if cur.Clock <= cur.Pushed {
		return total, nil
	}
	numbers, err := n.numbers(ctx, conn)
	if err != nil {
		return total, err
	}
	from := cur.Pushed
	for {
		var items []*item
		last, err := n.store.Changes(ctx, from, batch, func(c sqlite.Change) error {
			its, err := n.items(c)
			items = append(items, its...)
			return err
		})
		if err != nil {
			return total, err
		}
		if last == from {
			return total, nil
		}
		var p Pushed
		for try := 0; ; try++ {
			p, err = n.send(ctx, conn, items, numbers)
			if err == nil || try > 0 || !fault.Is(fault.Busy, err) {
				break
			}
			// another node pushed one of these meanwhile: ask again
			if numbers, err = n.numbers(ctx, conn); err != nil {
				return total, err
			}
		}
		if err != nil {
			return total, err
		}
		e := sqlite.Entry{At: n.now(), Actor: sqlite.ActorNetwork, Action: sqlite.ActPushed,
			Detail: fmt.Sprintf("%d sessions, %d patients, %d acknowledgements, %d settings to the server; %d it held", p.Sessions, p.Patients, p.Acks, p.Settings, p.Held)}
		if err := n.store.Pushed(ctx, last, e); err != nil {
			return total, err
		}
		total.Sessions, total.Patients, total.Acks, total.Settings, total.Held = total.Sessions+p.Sessions, total.Patients+p.Patients,
			total.Acks+p.Acks, total.Settings+p.Settings, total.Held+p.Held
		from = last
	}
}

// numbers are the last numbers of each kind the server holds of this
// node's items.
func (n *Node) numbers(ctx context.Context, conn *pgx.Conn) (map[string]int64, error) {
	rows, err := conn.Query(ctx, "SELECT kind, n FROM kiosk.numbers()")
	if err != nil {
		return nil, serverError("push", err)
	}
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, serverError("push", err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, serverError("push", err)
	}
	return out, nil
}

// items are what one change sends: the session or patient whole, and a
// session's acknowledgement also on its own (a kiosk reads those only).
func (n *Node) items(c sqlite.Change) ([]*item, error) {
	// as the server keeps a time: to the microsecond (it is signed)
	made := n.now().UTC().Truncate(time.Microsecond)
	switch {
	case c.Item.Session != nil:
		ss := c.Item.Session
		origin := c.Site
		if origin == "" {
			origin = n.cfg.Name
		}
		body, err := json.Marshal(exchange.Item{Session: ss})
		if err != nil {
			return nil, err
		}
		out := []*item{{Kind: kindSession, ID: ss.ID, Origin: origin, Urgent: ss.Urgent, Made: made, Body: body}}
		if ss.Acked != "" {
			b, err := json.Marshal(ack{Session: ss.ID, By: ss.AckedBy, At: ss.Acked})
			if err != nil {
				return nil, err
			}
			out = append(out, &item{Kind: kindAck, ID: ss.ID, Origin: origin, Urgent: ss.Urgent, Made: made, Body: b})
		}
		return out, nil
	case c.Setting != nil:
		body, err := json.Marshal(setting{Key: c.Setting.Key, Value: c.Setting.Value})
		if err != nil {
			return nil, err
		}
		return []*item{{Kind: kindSetting, ID: c.Setting.Key, Origin: n.cfg.Name, Made: made, Body: body}}, nil
	case c.Item.Patient != nil:
		body, err := json.Marshal(exchange.Item{Patient: c.Item.Patient})
		if err != nil {
			return nil, err
		}
		return []*item{{Kind: kindPatient, ID: c.Item.Patient.ID, Origin: n.cfg.Name, Made: made, Body: body}}, nil
	}
	return nil, nil
}

// send pushes items in one transaction: the server says first which it
// holds already (those take no number), then the others go numbered and
// signed in one round trip.
func (n *Node) send(ctx context.Context, conn *pgx.Conn, items []*item, numbers map[string]int64) (Pushed, error) {
	var p Pushed
	key := n.cfg.signer()
	next := map[string]int64{}
	for k, v := range numbers {
		next[k] = v
	}
	kinds, ids, digests := make([]string, len(items)), make([]string, len(items)), make([][]byte, len(items))
	for i, it := range items {
		it.digest()
		kinds[i], ids[i], digests[i] = it.Kind, it.ID, it.Digest
	}
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "SELECT kiosk.held($1, $2, $3)", kinds, ids, digests)
		if err != nil {
			return err
		}
		held := map[int]bool{}
		for rows.Next() {
			var i int
			if err := rows.Scan(&i); err != nil {
				return err
			}
			held[i-1] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var b pgx.Batch
		for i, it := range items {
			if held[i] {
				p.Held++
				continue
			}
			it.Node, it.N = n.cfg.Name, next[it.Kind]+1
			it.sign(key)
			next[it.Kind] = it.N
			b.Queue("SELECT kiosk.push($1, $2, $3, $4, $5, $6, $7, $8, $9)",
				it.Kind, it.N, it.ID, it.Origin, it.Urgent, it.Made, it.Digest, it.Body, it.Signature)
			switch it.Kind {
			case kindSession:
				p.Sessions++
			case kindPatient:
				p.Patients++
			case kindAck:
				p.Acks++
			case kindSetting:
				p.Settings++
			}
		}
		res := tx.SendBatch(ctx, &b)
		for range b.Len() {
			var h int64
			if err := res.QueryRow().Scan(&h); err != nil {
				res.Close()
				return err
			}
			if h == 0 {
				// another node pushed the same meanwhile: the numbers
				// after it are out of place; the caller asks again
				res.Close()
				return &pgconn.PgError{Code: "40001", Message: "an item was pushed by another node meanwhile"}
			}
		}
		return res.Close()
	})
	if err != nil {
		return Pushed{}, serverError("push", err)
	}
	for k, v := range next {
		numbers[k] = v
	}
	return p, nil
}

// Pulled is what one pull brought here.
type Pulled struct {
	// Sessions are the sessions that came (new here or changed), Urgent
	// those of them the server marks urgent.
	Sessions, Urgent []string
	Patients, Acks   int
	// Settings are the clinic's settings changed here (key=value).
	Settings []string
}

// Empty says whether nothing came.
func (p Pulled) Empty() bool { return len(p.Sessions)+p.Patients+p.Acks+len(p.Settings) == 0 }

// peer is another node as this one trusts it.
type peer struct {
	role   Role
	verify ed25519.PublicKey
}

// ErrRefused: an item from the server did not hold (a signature, its
// number, its form); the pull stopped before it.
var ErrRefused = fault.E(fault.Corrupt, "an item from the clinic network's server did not hold")

// Pull applies here every item the server committed after the pull
// cursor that this node may read, in the server's order, a batch per
// SQLite transaction (as an import: merged, never overwriting). Each
// item is checked first: pushed by a node a site key trusted here
// endorsed, signed by it, numbered next of its kind (for the kinds this
// node reads whole), its body well formed. One that does not hold stops
// the pull there, on record (what came before it is kept).
func (n *Node) Pull(ctx context.Context, conn *pgx.Conn) (Pulled, error) {
	var got Pulled
	cur, err := n.store.Hub(ctx)
	if err != nil {
		return got, err
	}
	// the next batch is read and decoded while this one goes in
	fctx, stop := context.WithCancel(ctx)
	batches := n.fetcher(fctx, conn, cur.Pulled)
	defer func() {
		stop()
		for range batches {
		}
	}()
	for b := range batches {
		if b.err != nil || len(b.items) == 0 {
			return got, b.err
		}
		seen, err := n.store.Seen(ctx)
		if err != nil {
			return got, err
		}
		p, refused, err := n.apply(ctx, b.items, b.peers, seen)
		got.Sessions, got.Urgent = append(got.Sessions, p.Sessions...), append(got.Urgent, p.Urgent...)
		got.Patients, got.Acks, got.Settings = got.Patients+p.Patients, got.Acks+p.Acks, append(got.Settings, p.Settings...)
		if err != nil {
			return got, err
		}
		if refused != nil {
			e := sqlite.Entry{At: n.now(), Actor: sqlite.ActorNetwork, Action: sqlite.ActHubRefused, Detail: refused.Error()}
			if err := n.store.Audit(ctx, e); err != nil {
				return got, err
			}
			return got, fmt.Errorf("%w: %w", ErrRefused, refused)
		}
	}
	return got, nil
}

// fetched is a batch read from the server and decoded, with the nodes
// trusted then; err ends the batches, as an empty one does.
type fetched struct {
	items []*item
	peers map[string]peer
	err   error
}

// fetcher reads batches after hub on conn (its own while the pull runs)
// until none is left, an error, or ctx ends.
func (n *Node) fetcher(ctx context.Context, conn *pgx.Conn, after int64) <-chan fetched {
	out := make(chan fetched, 1)
	go func() {
		defer close(out)
		peers, err := n.peers(ctx, conn)
		for {
			var items []*item
			if err == nil {
				items, err = n.fetch(ctx, conn, after)
			}
			if err == nil && slices.ContainsFunc(items, func(it *item) bool { _, ok := peers[it.Node]; return !ok }) {
				// a node joined since: read the list again
				peers, err = n.peers(ctx, conn)
			}
			if err == nil {
				decodeAll(items, peers)
			}
			select {
			case out <- fetched{items: items, peers: peers, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(items) == 0 {
				return
			}
			after = items[len(items)-1].Hub
		}
	}()
	return out
}

// fetch reads the next items after hub.
func (n *Node) fetch(ctx context.Context, conn *pgx.Conn, after int64) ([]*item, error) {
	rows, err := conn.Query(ctx, `SELECT hub, node, kind, n, id::text, origin, urgent, made, digest, body, signature
		FROM kiosk.items WHERE hub > $1 ORDER BY hub LIMIT $2`, after, batch)
	if err != nil {
		return nil, serverError("pull", err)
	}
	var items []*item
	for rows.Next() {
		it := &item{}
		if err := rows.Scan(&it.Hub, &it.Node, &it.Kind, &it.N, &it.ID, &it.Origin, &it.Urgent, &it.Made, &it.Digest, &it.Body, &it.Signature); err != nil {
			return nil, serverError("pull", err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, serverError("pull", err)
	}
	return items, nil
}

// peers are the nodes the server lists that a site key trusted here
// endorsed.
func (n *Node) peers(ctx context.Context, conn *pgx.Conn) (map[string]peer, error) {
	trusted, err := n.store.SiteKeys(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, "SELECT name, role, writer::text, verify_key, site_key, endorsement FROM kiosk.nodes")
	if err != nil {
		return nil, serverError("pull", err)
	}
	defer rows.Close()
	out := map[string]peer{}
	for rows.Next() {
		var name, role, writer string
		var verify, site, endorsement []byte
		if err := rows.Scan(&name, &role, &writer, &verify, &site, &endorsement); err != nil {
			return nil, serverError("pull", err)
		}
		for _, k := range trusted {
			if len(verify) == ed25519.PublicKeySize && string(k) == string(site) &&
				ed25519.Verify(k, endorsed(name, Role(role), writer, verify), endorsement) {
				out[name] = peer{role: Role(role), verify: verify}
			}
		}
	}
	return out, serverError("pull", rows.Err())
}

// apply checks and applies items in one SQLite transaction, up to the
// first that does not hold (refused, with the items before it kept).
func (n *Node) apply(ctx context.Context, items []*item, peers map[string]peer, seen map[[2]string]int64) (Pulled, error, error) {
	var got Pulled
	// (decoded before, by the fetcher: the database's write lock is held
	// only while items go in)
	im, err := n.store.Pull(ctx)
	if err != nil {
		return got, nil, err
	}
	var refused error
	reached := int64(0)
	for _, it := range items {
		if refused = n.check(it, peers, seen); refused != nil {
			break
		}
		key := [2]string{it.Node, it.Kind}
		if it.N <= seen[key] {
			// had already (the server gave it again): nothing to do
			reached = it.Hub
			continue
		}
		seen[key] = it.N
		if err := im.Saw(ctx, it.Node, it.Kind, it.N); err != nil {
			im.Rollback()
			return Pulled{}, nil, err
		}
		if it.Node != n.cfg.Name {
			if refused = n.take(ctx, im, it, &got); refused != nil {
				if fault.KindOf(refused) != fault.Invalid {
					im.Rollback()
					return Pulled{}, nil, refused
				}
				break
			}
		}
		reached = it.Hub
	}
	if reached == 0 {
		im.Rollback()
		return got, refused, nil
	}
	if err := im.Reached(ctx, reached); err != nil {
		im.Rollback()
		return Pulled{}, nil, err
	}
	e := sqlite.Entry{At: n.now(), Actor: sqlite.ActorNetwork, Action: sqlite.ActPulled,
		Detail: fmt.Sprintf("%d sessions, %d patients, %d acknowledgements from the server", len(got.Sessions), got.Patients, got.Acks)}
	if len(got.Settings) > 0 {
		e.Detail += "; settings changed: " + strings.Join(got.Settings, ", ")
	}
	if err := im.Commit(ctx, e); err != nil {
		return Pulled{}, nil, err
	}
	return got, refused, nil
}

// check says why an item does not hold (nil: it does).
func (n *Node) check(it *item, peers map[string]peer, seen map[[2]string]int64) error {
	where := fmt.Sprintf("item %d (%s %s number %d)", it.Hub, it.Node, it.Kind, it.N)
	if _, ok := peers[it.Node]; !ok {
		return fmt.Errorf("%s: pushed by a node no site key here endorsed", where)
	}
	if !it.signedOK {
		return fmt.Errorf("%s: its signature does not hold", where)
	}
	// a desk reads every item; a kiosk the patients and the settings
	// whole, and only its own sessions' acknowledgements
	whole := n.cfg.Role == Desk || it.Kind == kindPatient || it.Kind == kindSetting
	if last := seen[[2]string{it.Node, it.Kind}]; whole && it.N > last+1 {
		return fmt.Errorf("%s: the server left out %d before it", where, it.N-last-1)
	}
	return nil
}

// take applies one checked item (decoded first: decode).
func (n *Node) take(ctx context.Context, im *sqlite.Importer, it *item, got *Pulled) error {
	if it.bad != nil {
		return it.bad
	}
	switch {
	case it.item.Session != nil:
		changed, err := im.SessionFrom(ctx, *it.item.Session, it.Origin)
		if err != nil {
			return err
		}
		if !changed {
			return nil
		}
		got.Sessions = append(got.Sessions, it.ID)
		if it.item.Session.Urgent {
			got.Urgent = append(got.Urgent, it.ID)
		}
	case it.item.Patient != nil:
		if err := im.Patient(ctx, *it.item.Patient); err != nil {
			return err
		}
		got.Patients++
	case it.setting != nil:
		changed, err := im.Setting(ctx, it.setting.Key, it.setting.Value)
		if err != nil {
			return it.malformed(err)
		}
		if changed {
			got.Settings = append(got.Settings, it.setting.Key+"="+it.setting.Value)
		}
	case it.ack != nil:
		if err := im.Ack(ctx, it.ack.Session, it.ack.By, it.ack.At); err != nil {
			return it.malformed(err)
		}
		got.Acks++
	}
	return nil
}

// decode reads what the item carries and checks its form and its
// signature by its node (peers): on the item (bad, signed), so that the
// items of a batch are decoded on every core before they are applied
// in order.
func (it *item) decode(peers map[string]peer) {
	p, ok := peers[it.Node]
	it.signedOK = ok && it.check(p.verify)
	switch it.Kind {
	case kindSession, kindPatient:
		if err := json.Unmarshal(it.Body, &it.item); err != nil {
			it.bad = it.malformed(errors.New("not an item"))
			return
		}
		if err := bundle.CheckItem(it.item); err != nil {
			it.bad = it.malformed(err)
			return
		}
		ss, pt := it.item.Session, it.item.Patient
		if !(ss != nil && ss.ID == it.ID && it.Kind == kindSession) && !(pt != nil && pt.ID == it.ID && it.Kind == kindPatient) {
			it.bad = it.malformed(errors.New("its body is not the session or patient it names"))
		}
	case kindSetting:
		it.setting = &setting{}
		if err := json.Unmarshal(it.Body, it.setting); err != nil || it.setting.Key != it.ID {
			it.bad = it.malformed(errors.New("not a setting"))
		}
	case kindAck:
		it.ack = &ack{}
		if err := json.Unmarshal(it.Body, it.ack); err != nil || it.ack.Session != it.ID {
			it.bad = it.malformed(errors.New("not an acknowledgement"))
		}
	default:
		it.bad = it.malformed(fmt.Errorf("%q is not a kind of item", it.Kind))
	}
}

// malformed is an Invalid error naming the item.
func (it *item) malformed(err error) error {
	return &fault.Error{Op: fmt.Sprintf("item %d (%s %s number %d)", it.Hub, it.Node, it.Kind, it.N), Kind: fault.Invalid, Err: err}
}

// decodeAll decodes items on every core.
func decodeAll(items []*item, peers map[string]peer) {
	next := make(chan *item)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range next {
				it.decode(peers)
			}
		}()
	}
	for _, it := range items {
		next <- it
	}
	close(next)
	wg.Wait()
}
