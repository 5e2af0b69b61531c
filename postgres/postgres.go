// Package postgres is the clinic network's server as the nodes and the
// admin tool reach it: the clinic's own PostgreSQL, through pgx. It holds
// every statement the network sends: the schema (schema.sql) and the
// roles (Owner: Setup, Join, Revoke, as the database's owner), the
// network's status (Status), and a node's connection (Conn, a
// hub.Server: push, read, listen). What is pushed, signed, checked and
// merged is package hub's.
package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"intakekiosk/fault"
	"intakekiosk/hub"
)

//go:embed schema.sql
var schema string

// Owner is the URL of the clinic database's owner (a role that may
// create roles): what sets the network up, joins and revokes its nodes.
// It is given to kioskctl, never stored.
type Owner string

// connectTimeout bounds each connection attempt: a node never waits long
// on the network.
const connectTimeout = 5 * time.Second

// connect opens a connection to the server at u.
func connect(ctx context.Context, u string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		// pgx's message repeats the URL, password and all
		return nil, &fault.Error{Op: "server address", Kind: fault.Invalid, Err: errors.New("not a PostgreSQL URL")}
	}
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > connectTimeout {
		cfg.ConnectTimeout = connectTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, serverError("connect", err)
	}
	return conn, nil
}

// serverError gives a server's error its kind: refused (a revoked or
// unknown role, a right it lacks) is Permission, anything else
// Unavailable (the server down, the connection cut).
func serverError(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &fault.Error{Op: op, Kind: fault.Unavailable, Err: err}
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "42501", "28000", "28P01": // insufficient_privilege, invalid_authorization, invalid_password
			return &fault.Error{Op: op, Kind: fault.Permission, Err: fmt.Errorf("the server refused: %s", pg.Message)}
		case "40001":
			return &fault.Error{Op: op, Kind: fault.Busy, Err: fmt.Errorf("the server refused: %s", pg.Message)}
		}
		return &fault.Error{Op: op, Kind: fault.Unavailable, Err: fmt.Errorf("the server: %s (%s)", pg.Message, pg.Code)}
	}
	return &fault.Error{Op: op, Kind: fault.Unavailable, Err: err}
}

// clinicDB are the names a clinic's database may have: its roles are
// named for it (PostgreSQL roles are the whole server's).
var clinicDB = regexp.MustCompile(`^[a-z][a-z0-9_]{0,23}$`)

// roles are the PostgreSQL role names of a clinic's database: its group
// of nodes, its group of desks, and the prefix of each node's own role.
type roles struct{ database, nodes, desks, node string }

func rolesOf(ctx context.Context, conn *pgx.Conn) (roles, error) {
	var db string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
		return roles{}, serverError("read the database", err)
	}
	if !clinicDB.MatchString(db) {
		return roles{}, fault.E(fault.Invalid, fmt.Sprintf("the clinic's database %q: name it with lower-case letters, digits and '_', a letter first, up to 24", db))
	}
	return roles{database: db, nodes: db + "_nodes", desks: db + "_desks", node: db + "_node_"}, nil
}

// Setup makes the server's schema, the two group roles and what each may
// do; running it again changes nothing.
func (o Owner) Setup(ctx context.Context) error {
	return asOwner(ctx, string(o), func(conn *pgx.Conn, r roles) error {
		sql := strings.NewReplacer("{{nodes}}", r.nodes, "{{desks}}", r.desks, "{{database}}", r.database).Replace(schema)
		if _, err := conn.Exec(ctx, sql); err != nil {
			return serverError("set up the server", err)
		}
		return nil
	})
}

// asOwner runs fn connected as the database's owner (admin), with the
// clinic's role names.
func asOwner(ctx context.Context, admin string, fn func(*pgx.Conn, roles) error) error {
	conn, err := connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	r, err := rolesOf(ctx, conn)
	if err != nil {
		return err
	}
	return fn(conn, r)
}

// Registered says whether the server knows writer as a node's (a copy of
// that node's database must take a writer of its own before it joins).
func (o Owner) Registered(ctx context.Context, writer string) (bool, error) {
	var n int
	err := asOwner(ctx, string(o), func(conn *pgx.Conn, _ roles) error {
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM kiosk.nodes WHERE writer = $1", writer).Scan(&n); err != nil {
			return serverError("read nodes", err)
		}
		return nil
	})
	return n > 0, err
}

// Join registers a node at the server (hub.Enroll makes the
// registration): a PostgreSQL role of its own with a random password
// (sent to the server only as its SCRAM verifier, never in clear), in
// the group its role may act as. It returns the URL the node connects
// with: the owner's with the node's role and password.
func (o Owner) Join(ctx context.Context, reg hub.Registration, rand io.Reader) (string, error) {
	admin := string(o)
	if err := hub.CheckName(reg.Name); err != nil {
		return "", err
	}
	if !reg.Role.Valid() {
		return "", fault.E(fault.Invalid, fmt.Sprintf("%q is not a role (kiosk, desk)", reg.Role))
	}
	if !reg.Endorsed() {
		return "", fault.E(fault.Invalid, "the endorsement does not hold")
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", &fault.Error{Op: "server address", Kind: fault.Invalid, Err: errors.New("not a PostgreSQL URL")}
	}
	secret := make([]byte, 32)
	if _, err := io.ReadFull(rand, secret); err != nil {
		return "", err
	}
	password := base64.RawURLEncoding.EncodeToString(secret)
	verifier, err := scram(password, rand)
	if err != nil {
		return "", err
	}
	conn, err := connect(ctx, admin)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	r, err := rolesOf(ctx, conn)
	if err != nil {
		return "", err
	}
	role := r.node + reg.Name
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM kiosk.nodes WHERE name = $1 OR db_role = $2", reg.Name, role).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return hub.ErrNameTaken
		}
		groups := r.nodes
		if reg.Role == hub.Desk {
			groups += ", " + r.desks
		}
		id := pgx.Identifier{role}.Sanitize()
		// the verifier is no secret to the server (it keeps it), and
		// DDL takes no parameters
		if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s' IN ROLE %s", id, verifier, groups)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO kiosk.nodes (name, role, db_role, writer, verify_key, site_key, endorsement)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, reg.Name, string(reg.Role), role, reg.Writer, []byte(reg.Verify), []byte(reg.SiteKey), reg.Endorsement)
		return err
	})
	if errors.Is(err, hub.ErrNameTaken) {
		return "", err
	}
	if err != nil {
		return "", serverError("join", err)
	}
	u.User = url.UserPassword(role, password)
	return u.String(), nil
}

// scram is PostgreSQL's SCRAM-SHA-256 verifier of password (RFC 5802, as
// the server stores it), with a random salt.
func scram(password string, rand io.Reader) (string, error) {
	const iterations = 4096
	salt := make([]byte, 16)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return "", err
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return "", err
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	stored := sha256.Sum256(mac(salted, "Client Key"))
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iterations, b64(salt), b64(stored[:]), b64(mac(salted, "Server Key"))), nil
}

// Revoke shuts node name out at once, connected as the owner: its role
// may no longer log in, loses its group, and its connections are ended;
// the server refuses its pushes from then on. What it pushed before
// stays (each item signed and numbered).
func (o Owner) Revoke(ctx context.Context, name string) error {
	admin := string(o)
	return asOwner(ctx, admin, func(conn *pgx.Conn, r roles) error {
		return revoke(ctx, conn, r, name)
	})
}

func revoke(ctx context.Context, conn *pgx.Conn, r roles, name string) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		var role string
		err := tx.QueryRow(ctx, "UPDATE kiosk.nodes SET revoked = coalesce(revoked, now()) WHERE name = $1 RETURNING db_role", name).Scan(&role)
		if errors.Is(err, pgx.ErrNoRows) {
			return &fault.Error{Op: "revoke", Kind: fault.NotFound, Err: fmt.Errorf("no node named %q", name)}
		}
		if err != nil {
			return err
		}
		id := pgx.Identifier{role}.Sanitize()
		for _, q := range []string{"ALTER ROLE " + id + " NOLOGIN", "REVOKE " + r.nodes + ", " + r.desks + " FROM " + id} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", role)
		return err
	})
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	if err != nil {
		return serverError("revoke", err)
	}
	return nil
}

// Status reads every node's state, connected as an owner or a desk.
func Status(ctx context.Context, u string) ([]hub.NodeStatus, error) {
	conn, err := connect(ctx, u)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT n.name, n.role, n.joined, n.revoked, n.last_contact, n.node_clock, n.pending, n.pulled,
			(SELECT count(*) FROM kiosk.items i WHERE i.hub > n.pulled AND i.node <> n.name
				AND (n.role = 'desk' OR i.kind IN ('patient', 'setting') OR (i.kind = 'ack' AND i.origin = n.name))),
			(SELECT count(*) FROM kiosk.items i WHERE i.node = n.name)
		FROM kiosk.nodes n ORDER BY n.name`)
	if err != nil {
		return nil, serverError("network status", err)
	}
	defer rows.Close()
	var out []hub.NodeStatus
	for rows.Next() {
		var s hub.NodeStatus
		var role string
		var revoked, contact, clock *time.Time
		if err := rows.Scan(&s.Name, &role, &s.Joined, &revoked, &contact, &clock, &s.Pending, &s.Pulled, &s.Behind, &s.Pushed); err != nil {
			return nil, serverError("network status", err)
		}
		s.Role = hub.Role(role)
		for _, p := range []struct {
			from *time.Time
			to   *time.Time
		}{{revoked, &s.Revoked}, {contact, &s.LastContact}, {clock, &s.NodeClock}} {
			if p.from != nil {
				*p.to = *p.from
			}
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, serverError("network status", err)
	}
	return out, nil
}
