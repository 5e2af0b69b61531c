// Package hub is the clinic network: every kiosk and desk of a clinic
// shares one live queue through the clinic's server (a Server: package
// postgres is the clinic's PostgreSQL), which holds only sealed items and
// the clear fields the queue needs.
// Each node keeps its SQLite as its durable record (offline first): the
// server is a hub, never the place of truth for a commit. A node pushes
// what changed here (the store's change log, in order, from a cursor),
// each item numbered and signed with the node's own key; it pulls what
// the others pushed (LISTEN/NOTIFY wakes it), checks each item's
// signature, number and form, and merges it into its SQLite as an import
// does (exchange.Merge: chain by chain, status, marks and urgency only
// forward).
//
// The server's schema, the roles and what each may do are made by the
// adapter (postgres.Owner: kioskctl network setup and join) as the
// database's owner; Enroll joins a node through it, and each node then
// connects as its own role, which may only push through one function and
// read what its kind of node needs (row level security).
package hub

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"time"

	"intakekiosk/exchange"
	"intakekiosk/fault"
	"intakekiosk/privfile"
)

// Role is what a node is: a kiosk in the waiting room or a counselor's
// desk station.
type Role string

// The roles.
const (
	Kiosk Role = "kiosk"
	Desk  Role = "desk"
)

// Valid says whether r is a role.
func (r Role) Valid() bool { return r == Kiosk || r == Desk }

// Config is what a node keeps of the clinic network, in a file of its own
// beside the database (ConfigPath, mode 0600; never in the database, so a
// backup restored elsewhere does not speak as this node): its name and
// role, the URL it connects with (its own role and password, the server's
// TLS settings) and its signing key.
type Config struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	URL  string `json:"url"`
	// Key is the seed of the node's Ed25519 signing key.
	Key []byte `json:"key"`
}

// ConfigPath is where a database's network configuration is kept.
func ConfigPath(db string) string { return db + ".network" }

// names are node names: lower case, a letter first, up to 31.
var names = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)

// CheckName says whether name can name a node.
func CheckName(name string) error {
	if !names.MatchString(name) {
		return fault.E(fault.Invalid, fmt.Sprintf("%q cannot name a node: lower-case letters, digits and '-', a letter first, up to 31", name))
	}
	return nil
}

// LoadConfig reads a node's configuration; a database that has not
// joined has none (a NotFound error).
func LoadConfig(path string) (Config, error) {
	var c Config
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return c, &fault.Error{Op: "network configuration", Kind: fault.NotFound, Err: err}
	}
	if err != nil {
		return c, fmt.Errorf("network configuration: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil || CheckName(c.Name) != nil || !c.Role.Valid() || len(c.Key) != ed25519.SeedSize || c.URL == "" {
		return c, &fault.Error{Op: "network configuration", Kind: fault.Corrupt, Err: fmt.Errorf("%s is not a network configuration", path)}
	}
	return c, nil
}

// Save writes the configuration, mode 0600, whole or not at all.
func (c Config) Save(path string) error {
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		return err
	}
	return privfile.Write(path, privfile.Options{Replace: true}, func(f *os.File) error {
		_, err := f.Write(append(b, '\n'))
		return err
	})
}

// signer is the node's signing key.
func (c Config) signer() ed25519.PrivateKey { return ed25519.NewKeyFromSeed(c.Key) }

// endorsed is what the clinic's site key signs of a node at its join.
func endorsed(name string, role Role, writer string, verify ed25519.PublicKey) []byte {
	return fmt.Appendf(nil, "intake-kiosk node v1\n%s\n%s\n%s\n%s", name, role, writer, hex.EncodeToString(verify))
}

// Registration is a node as the server registers it (hub.Enroll makes
// it; a Server lists them).
type Registration struct {
	Name   string
	Role   Role
	Writer string
	// Verify is the node's public signing key; SiteKey the clinic's site
	// key that endorsed it (Endorsement, over Endorsed(…)).
	Verify, SiteKey ed25519.PublicKey
	Endorsement     []byte
}

// ErrNameTaken: a node of that name is (or was) in the network.
var ErrNameTaken = fault.E(fault.Invalid, "a node of that name is already in the clinic network (a revoked name is not given again)")

// Endorsed says whether the registration holds: endorsed by the site
// key it names (whether this node trusts that key is the caller's).
func (r Registration) Endorsed() bool {
	return len(r.Verify) == ed25519.PublicKeySize && len(r.SiteKey) == ed25519.PublicKeySize &&
		ed25519.Verify(r.SiteKey, endorsed(r.Name, r.Role, r.Writer, r.Verify), r.Endorsement)
}

// NodeStatus is a node as the server last heard from it.
type NodeStatus struct {
	Name    string
	Role    Role
	Joined  time.Time
	Revoked time.Time
	// LastContact is the server's time of its last contact, NodeClock the
	// node's own clock then (a skew shows), zero for never.
	LastContact, NodeClock time.Time
	// Pending is how many changes it said it had not pushed yet; Pulled
	// the server's sequence it has pulled to.
	Pending int
	Pulled  int64
	// Behind is how many items it has yet to pull: the other nodes'
	// after Pulled that its role may read (a kiosk: patients, settings
	// and acknowledgements of its own alerts).
	Behind int64
	// Pushed is how many items it pushed.
	Pushed int64
}

// kinds of items.
const (
	kindSession = "session"
	kindPatient = "patient"
	kindAck     = "ack"
	kindSetting = "setting"
)

// Item is one pushed unit as the server keeps it: its clear fields, the
// body (a sealed session or patient, a setting, an acknowledgement) and
// its node's signature over both. The server numbers Hub; the node the
// rest.
type Item struct {
	Hub       int64
	Node      string
	Kind      string
	N         int64
	ID        string
	Origin    string
	Urgent    bool
	Made      time.Time
	Digest    []byte
	Body      []byte
	Signature []byte

	// what a pull decoded of it (item.decode)
	signedOK bool
	item     exchange.Item
	setting  *setting
	ack      *ack
	bad      error
}

// signed is what a node signs of an item: every clear field and the
// digest of its body.
func (it *Item) signed() []byte {
	return fmt.Appendf(nil, "intake-kiosk item v1\n%s\n%s\n%d\n%s\n%s\n%s\n%s\n%s", it.Node, it.Kind, it.N, it.ID, it.Origin,
		strconv.FormatBool(it.Urgent), it.Made.UTC().Format(time.RFC3339Nano), hex.EncodeToString(it.Digest))
}

// digest fills the digest of the body.
func (it *Item) digest() {
	d := sha256.Sum256(it.Body)
	it.Digest = d[:]
}

// sign fills the signature (the digest made).
func (it *Item) sign(key ed25519.PrivateKey) { it.Signature = ed25519.Sign(key, it.signed()) }

// check says whether the item is as node key signed it.
func (it *Item) check(key ed25519.PublicKey) bool {
	d := sha256.Sum256(it.Body)
	return bytes.Equal(d[:], it.Digest) && ed25519.Verify(key, it.signed(), it.Signature)
}

// setting is a setting's body.
type setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ack is an acknowledgement's body: a kiosk reads the answer to its own
// alert without reading the session.
type ack struct {
	Session string `json:"session"`
	By      string `json:"by"`
	At      string `json:"at"`
}
