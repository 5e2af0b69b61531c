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

// Server is the clinic's server as a node works with it, over one
// connection as the node's own role (postgres.Conn).
type Server interface {
	// Numbers are the last numbers of each kind the server holds of this
	// node's items.
	Numbers(ctx context.Context) (map[string]int64, error)
	// Push adds items (digests made) in one transaction: held says which
	// the server has already, number numbers and signs the others, which
	// then go in. Another node's push of one of them meanwhile is a
	// fault.Busy error, with nothing added.
	Push(ctx context.Context, items []*Item, number func(held []bool)) error
	// Items are at most limit items after hub sequence after that this
	// node may read, in the server's order.
	Items(ctx context.Context, after int64, limit int) ([]*Item, error)
	// Nodes are the nodes as they registered.
	Nodes(ctx context.Context) ([]Registration, error)
	// Contact tells the server where this node stands.
	Contact(ctx context.Context, clock time.Time, pending int, pulled int64) error
	// Listen makes the connection one that Waits for another node's push.
	Listen(ctx context.Context) error
	Wait(ctx context.Context) error
	Close() error
}

// Dialer connects to the server at a node's URL (postgres.Dial).
type Dialer func(ctx context.Context, url string) (Server, error)

// Node is this kiosk or desk in the clinic network: it pushes what
// changed here and pulls what the others pushed.
type Node struct {
	store Store
	dial  Dialer
	cfg   Config
	now   func() time.Time
	// Poll is how often the change clock is read for something to push.
	Poll time.Duration
}

// NewNode is the node cfg names, on its database store, reaching the
// server through dial, with the clock now.
func NewNode(store Store, dial Dialer, cfg Config, now func() time.Time) *Node {
	return &Node{store: store, dial: dial, cfg: cfg, now: now, Poll: 50 * time.Millisecond}
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
func (n *Node) Push(ctx context.Context, srv Server) (Pushed, error) {
	var total Pushed
	cur, err := n.store.Hub(ctx)
	if err != nil {
		return total, err
	}
	if cur.Clock <= cur.Pushed {
		return total, nil
	}
	numbers, err := srv.Numbers(ctx)
	if err != nil {
		return total, err
	}
	from := cur.Pushed
	for {
		var items []*Item
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
			p, err = n.send(ctx, srv, items, numbers)
			if err == nil || try > 0 || !fault.Is(fault.Busy, err) {
				break
			}
			// another node pushed one of these meanwhile: ask again
			if numbers, err = srv.Numbers(ctx); err != nil {
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

// items are what one change sends: the session or patient whole, and a
// session's acknowledgement also on its own (a kiosk reads those only).
func (n *Node) items(c sqlite.Change) ([]*Item, error) {
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
		out := []*Item{{Kind: kindSession, ID: ss.ID, Origin: origin, Urgent: ss.Urgent, Made: made, Body: body}}
		if ss.Acked != "" {
			b, err := json.Marshal(ack{Session: ss.ID, By: ss.AckedBy, At: ss.Acked})
			if err != nil {
				return nil, err
			}
			out = append(out, &Item{Kind: kindAck, ID: ss.ID, Origin: origin, Urgent: ss.Urgent, Made: made, Body: b})
		}
		return out, nil
	case c.Setting != nil:
		body, err := json.Marshal(setting{Key: c.Setting.Key, Value: c.Setting.Value})
		if err != nil {
			return nil, err
		}
		return []*Item{{Kind: kindSetting, ID: c.Setting.Key, Origin: n.cfg.Name, Made: made, Body: body}}, nil
	case c.Item.Patient != nil:
		body, err := json.Marshal(exchange.Item{Patient: c.Item.Patient})
		if err != nil {
			return nil, err
		}
		return []*Item{{Kind: kindPatient, ID: c.Item.Patient.ID, Origin: n.cfg.Name, Made: made, Body: body}}, nil
	}
	return nil, nil
}

// send pushes items in one transaction: the server says first which it
// holds already (those take no number), then the others go numbered and
// signed.
func (n *Node) send(ctx context.Context, srv Server, items []*Item, numbers map[string]int64) (Pushed, error) {
	for _, it := range items {
		it.digest()
	}
	var p Pushed
	next := map[string]int64{}
	err := srv.Push(ctx, items, func(held []bool) {
		key := n.cfg.signer()
		p = Pushed{}
		clear(next)
		for k, v := range numbers {
			next[k] = v
		}
		for i, it := range items {
			if held[i] {
				p.Held++
				continue
			}
			it.Node, it.N = n.cfg.Name, next[it.Kind]+1
			it.sign(key)
			next[it.Kind] = it.N
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
	})
	if err != nil {
		return Pushed{}, err
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
func (n *Node) Pull(ctx context.Context, srv Server) (Pulled, error) {
	var got Pulled
	cur, err := n.store.Hub(ctx)
	if err != nil {
		return got, err
	}
	// the next batch is read and decoded while this one goes in
	fctx, stop := context.WithCancel(ctx)
	batches := n.fetcher(fctx, srv, cur.Pulled)
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
	items []*Item
	peers map[string]peer
	err   error
}

// fetcher reads batches after hub from srv (its own while the pull runs)
// until none is left, an error, or ctx ends.
func (n *Node) fetcher(ctx context.Context, srv Server, after int64) <-chan fetched {
	out := make(chan fetched, 1)
	go func() {
		defer close(out)
		peers, err := n.peers(ctx, srv)
		for {
			var items []*Item
			if err == nil {
				items, err = srv.Items(ctx, after, batch)
			}
			if err == nil && slices.ContainsFunc(items, func(it *Item) bool { _, ok := peers[it.Node]; return !ok }) {
				// a node joined since: read the list again
				peers, err = n.peers(ctx, srv)
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

// peers are the nodes the server lists that a site key trusted here
// endorsed.
func (n *Node) peers(ctx context.Context, srv Server) (map[string]peer, error) {
	trusted, err := n.store.SiteKeys(ctx)
	if err != nil {
		return nil, err
	}
	nodes, err := srv.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]peer{}
	for _, r := range nodes {
		if r.Endorsed() && slices.ContainsFunc(trusted, func(k ed25519.PublicKey) bool { return k.Equal(r.SiteKey) }) {
			out[r.Name] = peer{role: r.Role, verify: r.Verify}
		}
	}
	return out, nil
}

// apply checks and applies items in one SQLite transaction, up to the
// first that does not hold (refused, with the items before it kept).
func (n *Node) apply(ctx context.Context, items []*Item, peers map[string]peer, seen map[[2]string]int64) (Pulled, error, error) {
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
func (n *Node) check(it *Item, peers map[string]peer, seen map[[2]string]int64) error {
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
func (n *Node) take(ctx context.Context, im *sqlite.Importer, it *Item, got *Pulled) error {
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
func (it *Item) decode(peers map[string]peer) {
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
func (it *Item) malformed(err error) error {
	return &fault.Error{Op: fmt.Sprintf("item %d (%s %s number %d)", it.Hub, it.Node, it.Kind, it.N), Kind: fault.Invalid, Err: err}
}

// decodeAll decodes items on every core.
func decodeAll(items []*Item, peers map[string]peer) {
	next := make(chan *Item)
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
