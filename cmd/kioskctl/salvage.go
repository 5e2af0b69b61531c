package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"intakekiosk/sqlite"
)

// salvageCmd copies what can still be read of a damaged database into a
// new one. Like backup it needs no clinic key: it copies rows still
// sealed, and a session is kept only whole (every record the damaged
// file's indexes name for it), so what it keeps opens as it did; verify
// --db F then opens each with the key.
func salvageCmd(g *globals) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "salvage --out FILE",
		Short: "Copy what can still be read of a damaged database into a new one, and list what was lost (audited in the copy, as no one: nobody signs in)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE is required")}
			}
			from, err := g.path()
			if err != nil {
				return err
			}
			// no staff member signs in on a damaged database (its staff
			// rows may be what is lost), so no name goes on record, --as
			// or not
			s, err := sqlite.Salvage(cmd.Context(), from, out, noSignIn, sqlite.Options{})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "salvage: %s: %d sessions copied whole\n", out, s.Sessions)
			for _, t := range slices.Sorted(maps.Keys(s.Rows)) {
				fmt.Fprintf(w, "  %s: %d rows copied", t, s.Rows[t])
				if n := s.LostRows[t]; n > 0 {
					fmt.Fprintf(w, ", %d unreadable", n)
				}
				fmt.Fprintln(w)
			}
			for _, id := range s.Lost {
				fmt.Fprintf(w, "lost session %s\n", id)
			}
			if !s.Complete() {
				return partialError{fmt.Errorf("%d sessions lost; check the copy with kioskctl verify --db %s", len(s.Lost), out)}
			}
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "the new database (mode 0600; never overwritten)")
	return c
}
