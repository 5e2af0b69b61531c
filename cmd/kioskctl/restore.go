package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk/sqlite"
)

func restoreCmd(g *globals) *cobra.Command {
	var from string
	c := &cobra.Command{
		Use: "restore --from BACKUP",
		Short: "Put a backup (and its .audit-head) in place of the database: it must verify, the kiosk must be closed, " +
			"and the database's files are moved aside, never deleted",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" {
				return usageError{errors.New("--from BACKUP is required")}
			}
			to, err := g.path()
			if err != nil {
				return err
			}
			aside, err := sqlite.Restore(cmd.Context(), from, to, time.Now())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "restored %s from %s (it verified)\n", to, from)
			for _, p := range aside {
				fmt.Fprintf(out, "kept the file it replaced as %s\n", p)
			}
			return nil
		},
	}
	c.Flags().StringVar(&from, "from", "", "the backup file (made by kioskctl backup, with its .audit-head beside it)")
	return c
}
