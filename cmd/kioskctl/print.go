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
	var takeHome bool
	c := &cobra.Command{
		Use:   "print SESSION_ID [--printer NAME] [--take-home]",
		Short: "Print a session's PDF summary (unlocks; marks it printed; audited), or with --take-home the patient's take-home sheet in their language (audited as a print)",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
			draw, title := g.summarize, review.JobTitle(args[0])
			if takeHome {
				// the job's title names no one: it is seen in the queue
				draw, title = g.takeHomeSheet, "Take-home sheet"
			}
			s, err := draw(cmd, st, pp, args[0])
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
			job, err := printer.Printer{Name: queue}.Print(cmd.Context(), title, &s.pdf)
			clear(s.pdf.Bytes())
			if errors.Is(err, printer.ErrNoPrinter) && takeHome {
				return fmt.Errorf("cannot print on %s: %w", where, err)
			}
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
			record := s.staff.Printed
			if takeHome {
				record = s.staff.TakeHomePrinted
			}
			if err := record(cmd.Context(), s.id, detail); err != nil {
				return fmt.Errorf("sent to %s but not recorded: %w", where, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\n", detail)
			return nil
		}),
	}
	c.Flags().StringVar(&queue, "printer", "", "the print queue (default: the printer setting, else the system's default printer)")
	c.Flags().BoolVar(&takeHome, "take-home", false, "print the patient's take-home sheet (what to expect, coping steps, crisis numbers, the next check-in) instead of the summary")
	return c
}
