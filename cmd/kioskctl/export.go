package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk/consent"
	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/privfile"
	"intakekiosk/sqlite"
)

func exportCmd(g *globals, pp *passphrases) *cobra.Command {
	var format, out, since, to, emergency string
	var deid, consented bool
	c := &cobra.Command{
		Use:   "export --format csv|fhir|bundle --out FILE [--since DATE] [--deidentified] [--to RECIPIENT [--consented-only | --emergency REASON]]",
		Short: "Write sessions out for other tools (unlocks; audited)",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			f := desk.Format(format)
			if !slices.Contains(desk.Formats(), f) {
				return usageError{fmt.Errorf("--format %q: one of %s", format, strings.Join(formatNames(), ", "))}
			}
			if out == "" {
				return usageError{errors.New("--out FILE is required")}
			}
			settings, err := st.Settings(cmd.Context())
			if err != nil {
				return err
			}
			// the clinic's days and times (time_zone)
			o := desk.ExportOptions{Deidentified: deid, Location: settings.Location, Emergency: emergency, ConsentedOnly: consented}
			if o.To, err = recipient(to); err != nil {
				return err
			}
			if emergency != "" && to == "" {
				return usageError{errors.New("--emergency REASON goes with --to RECIPIENT")}
			}
			if since != "" {
				t, err := time.ParseInLocation(time.DateOnly, since, settings.Location)
				if err != nil {
					return usageError{fmt.Errorf("--since %q: want a date as YYYY-MM-DD", since)}
				}
				o.Since = t
			}
			ctx := cmd.Context()
			staff, err := g.signInAt(cmd, st, pp)
			if err != nil {
				return err
			}
			var x desk.Exported
			began := false
			err = writeExport(out, g.files, func(file *os.File) error {
				began = true
				var err error
				x, err = staff.Export(ctx, file, f, o)
				return exportError(err)
			})
			if err != nil {
				var ue usageError
				if began && !errors.As(err, &ue) && !fault.Is(fault.Invalid, err) {
					// started (on record) and left no file
					if aerr := staff.ExportFailed(ctx, f, deid, err); aerr != nil {
						fmt.Fprintln(cmd.ErrOrStderr(), "warning:", aerr)
					}
				}
				return err
			}
			// the file is in place: on record, and what a bundle holds is
			// not exported again unless it changes
			if err := keepIfAudited(cmd.ErrOrStderr(), out, staff.Exported(ctx, x)); err != nil {
				return err
			}
			for _, id := range x.Left {
				fmt.Fprintf(cmd.ErrOrStderr(), "left out session %s: its consent does not cover this recipient\n", id)
			}
			for _, id := range x.Skipped {
				fmt.Fprintf(cmd.ErrOrStderr(), "skipped session %s: it does not open (damaged)\n", id)
			}
			if x.Patients > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d sessions, %d returning patients\n", out, x.Sessions, x.Patients)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d sessions\n", out, x.Sessions)
			}
			if len(x.Skipped) > 0 {
				return partialError{fmt.Errorf("%d sessions skipped: they do not open (try kioskctl verify, and salvage)", len(x.Skipped))}
			}
			return nil
		}),
	}
	c.Flags().StringVar(&format, "format", "", "the format: "+strings.Join(formatNames(), ", "))
	c.Flags().StringVar(&out, "out", "", "the file to write (mode 0600; never overwritten; exit status 3 when sessions that do not open were skipped)")
	c.Flags().StringVar(&since, "since", "", "only sessions started on or after this date (YYYY-MM-DD)")
	c.Flags().BoolVar(&deid, "deidentified", false, "no names, dates of birth, codes or session ids; each patient's dates shifted by one random offset")
	c.Flags().StringVar(&to, "to", "", recipientHelp+" (an identified CSV, a FHIR export and a bundle to anyone but a registered site are disclosures: each patient's consent must cover it)")
	c.Flags().BoolVar(&consented, "consented-only", false, "leave out (and name) the sessions whose consent does not cover --to, instead of refusing the export")
	c.Flags().StringVar(&emergency, "emergency", "", "a bona fide medical emergency (42 CFR 2.51): the reason, recorded with each disclosure no consent covers")
	return c
}

// recipientHelp says how --to names a recipient.
const recipientHelp = "whom it goes to: program (the program's own use, not a disclosure), site:NAME (a registered site of the program, the same), " +
	"clinic:ID (a recipient the consent form lists: kioskctl consents list), person:NAME (someone a patient named), or patient (the patient's own copy)"

// recipient reads --to ("" for none).
func recipient(s string) (consent.To, error) {
	if s == "" {
		return consent.To{}, nil
	}
	switch s {
	case "patient":
		return consent.To{Kind: consent.Patient}, nil
	case "program":
		return consent.To{Kind: consent.Program}, nil
	}
	kind, name, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	switch {
	case !ok || name == "":
	case kind == "clinic":
		return consent.To{Kind: consent.Clinic, ID: name}, nil
	case kind == "person":
		return consent.To{Kind: consent.Named, Name: name}, nil
	case kind == "site":
		return consent.To{Kind: consent.Other, Name: name}, nil
	}
	return consent.To{}, usageError{fmt.Errorf("--to %q: %s", s, recipientHelp)}
}

// formatNames lists the export formats.
func formatNames() []string {
	var names []string
	for _, f := range desk.Formats() {
		names = append(names, string(f))
	}
	return names
}

// exportError is an export's error in kioskctl's words: a format that
// is not de-identified, refused by the desk, is a usage error of
// --deidentified.
func exportError(err error) error {
	if e, ok := errors.AsType[*fault.Error](err); ok && e.Field == "deidentified" && fault.Is(fault.Invalid, err) {
		return usageError{fmt.Errorf("--deidentified: %s", e.Reason())}
	}
	if e, ok := errors.AsType[*fault.Error](err); ok && e.Field == "to" && fault.Is(fault.Invalid, err) {
		return usageError{fmt.Errorf("--to: %s", e.Reason())}
	}
	return err
}

// keepIfAudited follows the audit entry of a file just written: when the
// audit log lacks it (err), the file is removed, so no copy of patient
// data exists that the log does not name. When only the head file beside
// the database lagged (sqlite.ErrAuditHead: the entry is saved), the file
// stays and w is warned. It returns err, or nil for the lag.
func keepIfAudited(w io.Writer, path string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sqlite.ErrAuditHead):
		fmt.Fprintln(w, "warning:", err)
		return nil
	}
	os.Remove(path)
	return err
}

// writeExport writes a new file of ours (mode 0600), never over one
// there, so that a crash leaves nothing readable (privfile): whole or
// not at all.
func writeExport(path string, opt privfile.Options, write func(*os.File) error) error {
	opt.Replace = false
	return privfile.Write(path, opt, write)
}
