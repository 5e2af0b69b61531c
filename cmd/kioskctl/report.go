package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk/report"
	"intakekiosk/store"
)

func reportCmd(g *globals, pp *passphrases) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "report SESSION_ID --out FILE.pdf",
		Short: "Write a session's PDF summary (unlocks; audited)",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, st *store.Store, args []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE.pdf is required")}
			}
			ctx := cmd.Context()
			ss, err := st.Session(ctx, args[0])
			if err != nil {
				return err
			}
			key, who, err := g.unlock(ctx, st, pp)
			if err != nil {
				return err
			}
			recs, err := st.Records(ctx, ss.ID, key)
			if err != nil {
				return err
			}
			cat, errs := g.catalog()
			for _, e := range errs {
				fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", e)
			}
			settings, err := st.Settings(ctx)
			if err != nil {
				return err
			}
			v := store.RebuildVisit(recs, cat)
			now := time.Now()
			var pdf bytes.Buffer
			err = report.Summary(&pdf, report.Input{
				Clinic: settings.ClinicName, Identity: v.Identity, SessionID: ss.ID,
				Started: ss.Started, Completed: ss.Completed, Urgent: ss.Urgent, HelpRequested: v.HelpRequested,
				Session: v.Session, Generated: now, Location: time.Local,
			})
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, pdf.Bytes(), 0o600); err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			return st.Audit(ctx, store.Entry{At: now, Actor: who.Name, Action: store.ActReport, Target: ss.ID, Detail: "saved as PDF"})
		}),
	}
	c.Flags().StringVar(&out, "out", "", "the PDF file to write")
	return c
}
