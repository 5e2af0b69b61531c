package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"intakekiosk/printer"
	"intakekiosk/review"
	"intakekiosk/sqlite"
)

func printCmd(g *globals, pp *passphrases) *cobra.Command {
	var queue string
	c := &cobra.Command{
		Use:   "print SESSION_ID [--printer NAME]",
		Short: "Print a session's PDF summary (unlocks; marks it printed; audited)",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
			s, err := g.summarize(cmd, st, pp, args[0])
			if err != nil {
				return err
			}
			if queue == "" {
				// the kiosk's printer setting, as staff mode prints
				settings, err := st.Settings(cmd.Context())
				if err != nil {
					return err
				}
				queue = settings.Printer
			}
			where := queue
			if where == "" {
				where = "default printer"
			}
			job, err := printer.Printer{Name: queue}.Print(cmd.Context(), review.JobTitle(s.id), &s.pdf)
			if errors.Is(err, printer.ErrNoPrinter) {
				return fmt.Errorf("cannot print on %s: %w; save the summary to a file instead: kioskctl report %s --out FILE.pdf", where, err, s.id)
			}
			if err != nil {
				return fmt.Errorf("print session %s on %s: %w", s.id, where, err)
			}
			detail := "printed on " + where
			if job != "" {
				detail += ", job " + job
			}
			if err := s.staff.Printed(cmd.Context(), s.id, detail); err != nil {
				return fmt.Errorf("sent to %s but not recorded: %w", where, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\n", detail)
			return nil
		}),
	}
	c.Flags().StringVar(&queue, "printer", "", "the print queue (default: the printer setting, else the system's default printer)")
	return c
}
