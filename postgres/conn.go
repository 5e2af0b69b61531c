package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"intakekiosk/fault"
	"intakekiosk/hub"
)

// Conn is a node's connection to the server, as its own role: what
// hub.Node pushes and pulls through (a hub.Server).
type Conn struct{ pg *pgx.Conn }

// Connect opens a connection to the server at u (a node's URL, from its
// configuration).
func Connect(ctx context.Context, u string) (*Conn, error) {
	pg, err := connect(ctx, u)
	if err != nil {
		return nil, err
	}
	return &Conn{pg: pg}, nil
}

// Dial is Connect as a hub.Dialer.
func Dial(ctx context.Context, u string) (hub.Server, error) {
	c, err := Connect(ctx, u)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Close ends the connection.
func (c *Conn) Close() error { return c.pg.Close(context.Background()) }

// PG is the connection itself, for tests that try what a node's role may
// do with SQL of their own.
func (c *Conn) PG() *pgx.Conn { return c.pg }

// Numbers are the last numbers of each kind the server holds of this
// node's items.
func (c *Conn) Numbers(ctx context.Context) (map[string]int64, error) {
	rows, err := c.pg.Query(ctx, "SELECT kind, n FROM kiosk.numbers()")
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

// errMeanwhile: another node pushed one of the items between the
// server's answer which it holds and the push.
var errMeanwhile = fault.E(fault.Busy, "an item was pushed by another node meanwhile")

// Push adds items in one transaction: the server says first which it
// holds already (by kind, id and digest: the items' digests are made),
// number numbers and signs the others, and those go in one round trip.
// Another node's push of one of them meanwhile is a Busy error, and
// nothing of this push stays.
func (c *Conn) Push(ctx context.Context, items []*hub.Item, number func(held []bool)) error {
	kinds, ids, digests := make([]string, len(items)), make([]string, len(items)), make([][]byte, len(items))
	for i, it := range items {
		kinds[i], ids[i], digests[i] = it.Kind, it.ID, it.Digest
	}
	err := pgx.BeginFunc(ctx, c.pg, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "SELECT kiosk.held($1, $2, $3)", kinds, ids, digests)
		if err != nil {
			return err
		}
		held := make([]bool, len(items))
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
		number(held)
		var b pgx.Batch
		for i, it := range items {
			if !held[i] {
				b.Queue("SELECT kiosk.push($1, $2, $3, $4, $5, $6, $7, $8, $9)",
					it.Kind, it.N, it.ID, it.Origin, it.Urgent, it.Made, it.Digest, it.Body, it.Signature)
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
				res.Close()
				return errMeanwhile
			}
		}
		return res.Close()
	})
	if errors.Is(err, errMeanwhile) {
		return err
	}
	return serverError("push", err)
}

// Items are the items after hub sequence after that this node's role may
// read, at most limit, in the server's order.
func (c *Conn) Items(ctx context.Context, after int64, limit int) ([]*hub.Item, error) {
	rows, err := c.pg.Query(ctx, `SELECT hub, node, kind, n, id::text, origin, urgent, made, digest, body, signature
		FROM kiosk.items WHERE hub > $1 ORDER BY hub LIMIT $2`, after, limit)
	if err != nil {
		return nil, serverError("pull", err)
	}
	var items []*hub.Item
	for rows.Next() {
		it := &hub.Item{}
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

// Nodes are the nodes the server lists, as each registered.
func (c *Conn) Nodes(ctx context.Context) ([]hub.Registration, error) {
	rows, err := c.pg.Query(ctx, "SELECT name, role, writer::text, verify_key, site_key, endorsement FROM kiosk.nodes")
	if err != nil {
		return nil, serverError("pull", err)
	}
	defer rows.Close()
	var out []hub.Registration
	for rows.Next() {
		var r hub.Registration
		var role string
		if err := rows.Scan(&r.Name, &role, &r.Writer, &r.Verify, &r.SiteKey, &r.Endorsement); err != nil {
			return nil, serverError("pull", err)
		}
		r.Role = hub.Role(role)
		out = append(out, r)
	}
	return out, serverError("pull", rows.Err())
}

// Contact tells the server where this node stands: its clock, how many
// changes it has not pushed, where it has pulled to.
func (c *Conn) Contact(ctx context.Context, clock time.Time, pending int, pulled int64) error {
	_, err := c.pg.Exec(ctx, "SELECT kiosk.contact($1, $2, $3)", clock, pending, pulled)
	return serverError("contact", err)
}

// Listen asks the server to say when another node pushed (Wait hears
// it); a connection that listens is used for nothing else.
func (c *Conn) Listen(ctx context.Context) error {
	_, err := c.pg.Exec(ctx, "LISTEN kiosk_items")
	return serverError("listen", err)
}

// Wait returns when the server says another node pushed, or with why it
// cannot (the connection lost, ctx ended).
func (c *Conn) Wait(ctx context.Context) error {
	_, err := c.pg.WaitForNotification(ctx)
	return serverError("listen", err)
}
