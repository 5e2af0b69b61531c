package main

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"intakekiosk/store"
)

func reportCmd(g *globals, pp *passphrases) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "report SESSION_ID --out FILE.pdf",
		Short: "Save a session's PDF summary (unlocks; marks it printed; audited)",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, st *store.Store, args []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE.pdf is required")}
			}
			s, err := g.summarize(cmd, st, pp, args[0])
			if err != nil {
				return err
			}
			if err := writePrivate(out, s.pdf.Bytes()); err != nil {
				return err
			}
			// A saved summary counts as printed, as the kiosk's Save PDF.
			if err := st.MarkPrinted(cmd.Context(), s.id, s.who.Name, "saved as PDF", s.at); err != nil {
				os.Remove(out) // no copy of patient data that the audit log lacks
				return err
			}
			return nil
		}),
	}
	c.Flags().StringVar(&out, "out", "", "the PDF file to write (mode 0600)")
	return c
}
