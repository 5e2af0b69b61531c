package main

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"intakekiosk/desk"
	"intakekiosk/report"
	"intakekiosk/sqlite"
)

func reportCmd(g *globals, pp *passphrases) *cobra.Command {
	var out, code string
	var disclosures, signed, takeHome bool
	c := &cobra.Command{
		Use: "report (SESSION_ID | --patient CODE | --consent SESSION_ID | --disclosures CODE|SESSION_ID | --take-home SESSION_ID) --out FILE.pdf",
		Short: "Save a session's PDF summary, a patient's check-in report, the signed consent, " +
			"the accounting of disclosures of the last three years, or the patient's take-home sheet (unlocks; audited)",
		Args: func(cmd *cobra.Command, args []string) error {
			if code != "" {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE.pdf is required")}
			}
			if code != "" {
				return g.patientReport(cmd, st, pp, code, out)
			}
			if disclosures || signed {
				return g.consentReport(cmd, st, pp, args[0], signed, out)
			}
			if takeHome {
				// for a clinic whose desk has no printer: saved, on record
				// as the sheet saved (it names no one, as printed)
				s, err := g.takeHomeSheet(cmd, st, pp, args[0])
				if err != nil {
					return err
				}
				if err := writePrivate(out, g.files, s.pdf.Bytes()); err != nil {
					return err
				}
				return keepIfAudited(cmd.ErrOrStderr(), out, s.staff.TakeHomePrinted(cmd.Context(), s.id, "saved as PDF"))
			}
			s, err := g.summarize(cmd, st, pp, args[0])
			if err != nil {
				return err
			}
			if err := writePrivate(out, g.files, s.pdf.Bytes()); err != nil {
				return err
			}
			// A saved summary counts as printed, as the kiosk's Save PDF.
			err = s.staff.Printed(cmd.Context(), s.id, "saved as PDF")
			return keepIfAudited(cmd.ErrOrStderr(), out, err)
		}),
	}
	c.Flags().StringVar(&out, "out", "", "the PDF file to write (mode 0600)")
	c.Flags().StringVar(&code, "patient", "", "a returning patient's check-in code: their check-in report")
	c.Flags().BoolVar(&signed, "consent", false, "the consent the patient signed that governs SESSION_ID: its words, choices, signature, version and hash")
	c.Flags().BoolVar(&disclosures, "disclosures", false, "the accounting of disclosures of the last three years of the patient of a check-in CODE or a SESSION_ID (42 CFR 2.24)")
	c.Flags().BoolVar(&takeHome, "take-home", false, "the take-home sheet of SESSION_ID in the patient's language (what to expect, coping steps, crisis numbers, the next check-in)")
	c.MarkFlagsMutuallyExclusive("patient", "consent", "disclosures", "take-home")
	return c
}

// consentReport writes the signed consent governing a session, or the
// accounting of disclosures of a patient named by a session or a
// check-in code (matched after the unlock, as --patient is).
func (g *globals) consentReport(cmd *cobra.Command, st *sqlite.Store, pp *passphrases, who string, signed bool, out string) error {
	ctx := cmd.Context()
	staff, err := g.signInAt(cmd, st, pp)
	if err != nil {
		return err
	}
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	session, patient := who, ""
	if _, err := uuid.Parse(who); err != nil {
		if signed {
			return usageError{fmt.Errorf("--consent %q: a session id", who)}
		}
		if patient, err = st.LookupCode(ctx, who); err != nil {
			return fmt.Errorf("no patient with that check-in code: %w", err)
		}
		session = ""
	}
	var pdf bytes.Buffer
	defer func() { clear(pdf.Bytes()) }()
	if signed {
		err = staff.ConsentDocument(ctx, &pdf, session, settings.ClinicName, settings.Location)
	} else {
		err = staff.Accounting(ctx, &pdf, session, patient, settings.ClinicName, settings.Location)
	}
	if err != nil {
		return err
	}
	return writePrivate(out, g.files, pdf.Bytes())
}

// patientReport writes the check-in report of the patient with a code:
// trends on page one, then every check-in. The code is matched as the
// kiosk does (slowly), after the unlock, outside the kiosk's count of wrong codes.
func (g *globals) patientReport(cmd *cobra.Command, st *sqlite.Store, pp *passphrases, code, out string) error {
	ctx := cmd.Context()
	staff, err := g.signInAt(cmd, st, pp)
	if err != nil {
		return err
	}
	patient, err := st.LookupCode(ctx, code)
	if err != nil {
		return fmt.Errorf("no patient with that check-in code: %w", err)
	}
	p, err := staff.Patient(ctx, patient)
	if err != nil {
		return err
	}
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	var pdf bytes.Buffer
	defer func() { clear(pdf.Bytes()) }()
	err = report.Patient(&pdf, desk.PatientReport(p, settings.ClinicName, time.Now(), settings.Location))
	if err != nil {
		return err
	}
	if err := writePrivate(out, g.files, pdf.Bytes()); err != nil {
		return err
	}
	err = staff.PatientDocument(ctx, patient, desk.CheckinReportAs)
	return keepIfAudited(cmd.ErrOrStderr(), out, err)
}
