package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk/fault"
	"intakekiosk/hub"
	"intakekiosk/postgres"
	"intakekiosk/sqlite"
)

// serverEnv names the clinic server's owner URL when --server is not
// given. Its password is best kept out of both: in ~/.pgpass or
// PGPASSWORD, which the connection reads.
const serverEnv = "KIOSK_SERVER"

// skewShown is how far a node's clock may be from the server's before
// status shows it.
const skewShown = time.Minute

func networkCmd(g *globals, pp *passphrases) *cobra.Command {
	c := &cobra.Command{Use: "network", Short: "Join this kiosk or desk to the clinic's server, and see or manage the network"}
	server := func(cmd *cobra.Command) *string {
		s := new(string)
		cmd.Flags().StringVar(s, "server", os.Getenv(serverEnv), "the clinic database's owner URL, postgres://OWNER@HOST/DB?sslmode=verify-full&sslrootcert=CA (or "+serverEnv+"); never stored")
		return s
	}
	need := func(s *string) (string, error) {
		if *s == "" {
			return "", usageError{errors.New("--server URL is required (the clinic database's owner, or " + serverEnv + ")")}
		}
		return *s, nil
	}

	setup := &cobra.Command{
		Use:   "setup --server URL",
		Short: "Make the clinic network's schema and roles on the server (once; running it again changes nothing)",
		Args:  cobra.NoArgs,
	}
	setupServer := server(setup)
	setup.RunE = func(cmd *cobra.Command, _ []string) error {
		u, err := need(setupServer)
		if err != nil {
			return err
		}
		if err := postgres.Owner(u).Setup(cmd.Context()); err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), "the server is ready: join each kiosk and desk with kioskctl network join")
		return nil
	}

	var role string
	var force bool
	join := &cobra.Command{
		Use:   "join NAME --role kiosk|desk --server URL --as ADMIN",
		Short: "Join this database to the clinic network as NAME (an admin here endorses it; restart the kiosk after)",
		Args:  cobra.ExactArgs(1),
	}
	joinServer := server(join)
	join.Flags().StringVar(&role, "role", "", "kiosk (a waiting-room kiosk) or desk (a counselor's station)")
	join.Flags().BoolVar(&force, "force", false, "join again though this database has joined already (a new name and key)")
	join.RunE = g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
		u, err := need(joinServer)
		if err != nil {
			return err
		}
		if err := hub.CheckName(args[0]); err != nil {
			return usageError{err}
		}
		r := hub.Role(role)
		if !r.Valid() {
			return usageError{fmt.Errorf("--role %q: kiosk or desk", role)}
		}
		path := hub.ConfigPath(st.Path())
		old, err := hub.LoadConfig(path)
		switch {
		case err == nil && !force:
			return &fault.Error{Op: "join", Kind: fault.Exists, Err: fmt.Errorf("this database has joined the clinic network already as %s (%s); --force joins it again", old.Name, old.Role)}
		case err != nil && !fault.Is(fault.NotFound, err) && !force:
			return err
		}
		staff, err := g.admin(cmd, st, pp, "joins the clinic network")
		if err != nil {
			return err
		}
		cfg, err := hub.Enroll(cmd.Context(), postgres.Owner(u), args[0], r, st, staff, rand.Reader)
		if err != nil {
			return err
		}
		if err := cfg.Save(path); err != nil {
			return fmt.Errorf("joined as %s, but its configuration could not be kept (revoke %s and join again): %w", cfg.Name, cfg.Name, err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "joined the clinic network as %s (%s); its configuration is %s (mode 0600, keep it out of backups)\nrestart the kiosk to connect\n", cfg.Name, cfg.Role, path)
		return nil
	})

	var asJSON bool
	status := &cobra.Command{
		Use:   "status [--server URL]",
		Short: "Show this node's sync, and every kiosk and desk: last contact, clock, records not yet pushed, lag",
		Args:  cobra.NoArgs,
	}
	statusServer := server(status)
	status.Flags().BoolVar(&asJSON, "json", false, "one JSON object a node")
	status.RunE = func(cmd *cobra.Command, _ []string) error {
		return g.networkStatus(cmd, *statusServer, asJSON)
	}

	revoke := &cobra.Command{
		Use:   "revoke NAME --server URL --as ADMIN",
		Short: "Shut a lost or stolen kiosk or desk out of the network at once (on record here)",
		Args:  cobra.ExactArgs(1),
	}
	revokeServer := server(revoke)
	revoke.RunE = g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
		u, err := need(revokeServer)
		if err != nil {
			return err
		}
		staff, err := g.admin(cmd, st, pp, "revokes a node")
		if err != nil {
			return err
		}
		if err := postgres.Owner(u).Revoke(cmd.Context(), args[0]); err != nil {
			return err
		}
		if err := staff.Revoked(cmd.Context(), args[0]); err != nil {
			return fmt.Errorf("%s is revoked at the server, but not on record here: %w", args[0], err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s is shut out: it can no longer connect; what it pushed before stays\n", args[0])
		return nil
	})

	sync := &cobra.Command{
		Use:   "sync",
		Short: "Push what this node has and pull what it lacks, once (a kiosk that runs does this by itself)",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			cfg, err := joined(st)
			if err != nil {
				return err
			}
			pushed, pulled, err := hub.NewNode(st, postgres.Dial, cfg, time.Now).Sync(cmd.Context())
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "pushed %d sessions, %d patients, %d acknowledgements, %d settings (%d the server had)\n",
				pushed.Sessions, pushed.Patients, pushed.Acks, pushed.Settings, pushed.Held)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "pulled %d sessions (%d urgent), %d patients, %d acknowledgements, %d settings\n",
				len(pulled.Sessions), len(pulled.Urgent), pulled.Patients, pulled.Acks, len(pulled.Settings))
			return nil
		}),
	}
	c.AddCommand(setup, join, status, revoke, sync)
	return c
}

// joined is the network configuration of st's database.
func joined(st *sqlite.Store) (hub.Config, error) {
	cfg, err := hub.LoadConfig(hub.ConfigPath(st.Path()))
	if fault.Is(fault.NotFound, err) {
		return cfg, &fault.Error{Op: "network", Kind: fault.NotFound, Err: errors.New("this database has not joined a clinic network (kioskctl network join)")}
	}
	return cfg, err
}

// nodeJSON is one line of `network status --json`.
type nodeJSON struct {
	Name        string     `json:"name"`
	Role        string     `json:"role"`
	Joined      time.Time  `json:"joined"`
	Revoked     *time.Time `json:"revoked,omitempty"`
	LastContact *time.Time `json:"last_contact,omitempty"`
	// SkewSeconds is the node's clock less the server's at its last contact.
	SkewSeconds float64 `json:"skew_seconds"`
	Pending     int     `json:"pending"`
	Behind      int64   `json:"behind"`
	Pushed      int64   `json:"pushed"`
}

// networkStatus prints this node's own cursor (when the database has
// joined) and every node as the server knows it: through server, else
// through this node's own connection (a desk's may read it; a kiosk's
// may not).
func (g *globals) networkStatus(cmd *cobra.Command, server string, asJSON bool) error {
	ctx := cmd.Context()
	out := cmd.OutOrStdout()
	u := server
	var self string
	if path, err := g.path(); err == nil {
		if _, err := os.Stat(path); err == nil {
			st, err := g.open(cmd)
			if err != nil {
				return err
			}
			cfg, cerr := joined(st)
			cur, herr := st.Hub(ctx)
			st.Close()
			switch {
			case cerr == nil && herr == nil:
				self = cfg.Name
				if u == "" {
					u = cfg.URL
				}
				if !asJSON {
					fmt.Fprintf(out, "this node: %s (%s), %d changes not yet pushed, pulled to %d\n\n", cfg.Name, cfg.Role, cur.Pending, cur.Pulled)
				}
				if server == "" && cfg.Role == hub.Kiosk {
					// a kiosk's role sees only what kiosks need: the
					// others' items are not its to count
					fmt.Fprintln(cmd.ErrOrStderr(), "the network's status is read at a desk, or here with --server OWNER_URL")
					return nil
				}
			case herr != nil:
				return herr
			case server == "":
				return cerr
			}
		}
	}
	if u == "" {
		return usageError{errors.New("--server URL is required here (this database has not joined)")}
	}
	nodes, err := postgres.Status(ctx, u)
	if err != nil {
		return err
	}
	if asJSON {
		return statusJSON(out, nodes)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tJOINED\tLAST CONTACT\tCLOCK\tNOT PUSHED\tBEHIND\tPUSHED\tSTATE")
	for _, n := range nodes {
		name := n.Name
		if name == self {
			name += " (here)"
		}
		contact, clock := "never", ""
		if !n.LastContact.IsZero() {
			contact = n.LastContact.Local().Format("2006-01-02 15:04")
			if d := n.NodeClock.Sub(n.LastContact); d > skewShown || d < -skewShown {
				clock = fmt.Sprintf("%+.0f min off", d.Minutes())
			}
		}
		state := "ok"
		if !n.Revoked.IsZero() {
			state = "REVOKED " + n.Revoked.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", name, n.Role, n.Joined.Local().Format("2006-01-02"),
			contact, clock, n.Pending, n.Behind, n.Pushed, state)
	}
	return tw.Flush()
}

func statusJSON(out io.Writer, nodes []hub.NodeStatus) error {
	enc := json.NewEncoder(out)
	for _, n := range nodes {
		j := nodeJSON{Name: n.Name, Role: string(n.Role), Joined: n.Joined, Pending: n.Pending, Behind: n.Behind, Pushed: n.Pushed}
		if !n.Revoked.IsZero() {
			j.Revoked = &n.Revoked
		}
		if !n.LastContact.IsZero() {
			j.LastContact = &n.LastContact
			j.SkewSeconds = n.NodeClock.Sub(n.LastContact).Seconds()
		}
		if err := enc.Encode(j); err != nil {
			return err
		}
	}
	return nil
}
