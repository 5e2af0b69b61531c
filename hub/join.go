package hub

import (
	"context"
	"crypto/ed25519"
	"io"
)

// Endorser signs a joining node's registration with the clinic's site
// key (desk.Staff.Endorse: an administrator signed in here), giving that
// key's public half.
type Endorser interface {
	Endorse(ctx context.Context, target string, msg []byte) ([]byte, ed25519.PublicKey, error)
}

// Registry registers nodes at the server, as its owner (postgres.Owner).
type Registry interface {
	// Registered says whether a node registered writer already.
	Registered(ctx context.Context, writer string) (bool, error)
	// Join registers a node and gives the URL it connects with.
	Join(ctx context.Context, reg Registration, rand io.Reader) (string, error)
}

// Writers is the database's name as a writer of records (sqlite.Store).
type Writers interface {
	Writer() string
	NewWriter(ctx context.Context) (string, error)
}

// Enroll joins this database to the clinic network as node name in role,
// through the server's owner (not kept): a new signing key, a
// writer of its own (a database copied from another node's takes a new
// one, so the two never continue one chain), the registration endorsed
// by an administrator here, and the node's own role at the server. It
// returns the configuration to keep beside the database.
func Enroll(ctx context.Context, owner Registry, name string, role Role, db Writers, e Endorser, rand io.Reader) (Config, error) {
	if err := CheckName(name); err != nil {
		return Config{}, err
	}
	writer := db.Writer()
	taken, err := owner.Registered(ctx, writer)
	if err != nil {
		return Config{}, err
	}
	if taken {
		if writer, err = db.NewWriter(ctx); err != nil {
			return Config{}, err
		}
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(rand, seed); err != nil {
		return Config{}, err
	}
	verify := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	sig, site, err := e.Endorse(ctx, name, endorsed(name, role, writer, verify))
	if err != nil {
		return Config{}, err
	}
	u, err := owner.Join(ctx, Registration{Name: name, Role: role, Writer: writer, Verify: verify, SiteKey: site, Endorsement: sig}, rand)
	if err != nil {
		return Config{}, err
	}
	return Config{Name: name, Role: role, URL: u, Key: seed}, nil
}
