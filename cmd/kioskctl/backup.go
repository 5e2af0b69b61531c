package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk/sqlite"
)

// noSignIn is the actor on record of a command no staff member signed in
// to (no staff name has parentheses).
const noSignIn = "(no sign-in)"

func backupCmd(g *globals, pp *passphrases) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Copy the database while the kiosk runs (still sealed; audited under --as, who signs in, or as no one); check the copy with verify --db FILE",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE is required")}
			}
			// on record under the staff member signed in (--as), else as
			// no one: the copy is still sealed, and the database file
			// is the OS account's to copy anyway (a nightly cron job)
			by := noSignIn
			if g.as != "" {
				staff, err := g.signIn(cmd.Context(), st, pp, nil)
				if err != nil {
					return err
				}
				by = staff.Who().Name
			}
			start := time.Now()
			pages, err := st.Backup(cmd.Context(), out, by, start)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backup: %s (%d pages, %s), with %s.audit-head beside it\n",
				out, pages, time.Since(start).Round(time.Millisecond), out)
			return nil
		}),
	}
	c.Flags().StringVar(&out, "out", "", "the new backup file (mode 0600; never overwritten)")
	return c
}
