package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk"
	"intakekiosk/assets"
	"intakekiosk/fhir"
	"intakekiosk/screening"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
)

// path is the database the global flags name.
func (g *globals) path() (string, error) {
	if g.db != "" {
		return g.db, nil
	}
	return sqlite.DefaultPath()
}

// open opens the database the global flags name. It must already exist:
// kioskctl never creates a database by accident. What the opening set
// right (a WAL that was not the database's, set aside) is said on the
// command's standard error.
func (g *globals) open(cmd *cobra.Command) (*sqlite.Store, error) {
	st, err := g.openDB(cmd.Context())
	if err != nil {
		return nil, err
	}
	for _, w := range st.Warnings() {
		fmt.Fprintln(cmd.ErrOrStderr(), "kioskctl: warning:", w)
	}
	return st, nil
}

func (g *globals) openDB(ctx context.Context) (*sqlite.Store, error) {
	path, err := g.path()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database %s: %w (start the kiosk once to create it, or give --db)", path, err)
	}
	return sqlite.Open(ctx, path, sqlite.Options{})
}

// withStore makes a command body that runs with the database open.
func (g *globals) withStore(fn func(cmd *cobra.Command, st *sqlite.Store, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		st, err := g.open(cmd)
		if err != nil {
			return err
		}
		defer st.Close()
		return fn(cmd, st, args)
	}
}

func instrumentsCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "instruments", Short: "List or check instrument files"}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the instruments the kiosk asks (built-in and the clinic's folder)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, errs := g.catalog()
			for _, err := range errs {
				fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				for _, in := range cat.Instruments() {
					if err := enc.Encode(map[string]any{"id": in.ID, "version": in.Version, "title": in.Title.In("en"),
						"items": len(in.Items), "source": in.Source}); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tVERSION\tITEMS\tTITLE\tSOURCE")
			for _, in := range cat.Instruments() {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", in.ID, in.Version, len(in.Items), in.Title.In("en"), in.Source)
			}
			return tw.Flush()
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "one JSON object a line")
	validate := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check instrument files with the kiosk's own loader",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			// Checked beside what the kiosk loads (built-in and the clinic's
			// folder), so that ids and rules naming other instruments
			// resolve as they will in the kiosk.
			base, _ := g.catalog()
			bad := 0
			for _, f := range files {
				// Read as the kiosk reads its folder: a file beyond
				// screening.MaxFileSize is refused from its size, unread.
				data, err := screening.ReadFile(os.DirFS(filepath.Dir(f)), filepath.Base(f), f)
				if err == nil {
					err = screening.Check(f, data, base)
				}
				if err != nil {
					bad++
					fmt.Fprintln(cmd.ErrOrStderr(), err)
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", f)
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d files rejected", bad, len(files))
			}
			return nil
		},
	}
	c.AddCommand(list, validate, importQuestionnaireCmd(g))
	return c
}

// importQuestionnaireCmd turns a FHIR R4 Questionnaire into an instrument
// file in the clinic's folder beside the database (or --out), checked as
// the kiosk checks its folder, never replacing a file.
func importQuestionnaireCmd(g *globals) *cobra.Command {
	var id, out string
	var order int
	c := &cobra.Command{
		Use:   "import QUESTIONNAIRE.json",
		Short: "Make an instrument file of a FHIR R4 Questionnaire (its ordinal values score it)",
		Long: "Make an instrument file of a FHIR R4 Questionnaire (a LOINC form from NLM, say): items, answer options " +
			"with their LOINC codes, points from their ordinal values, enableWhen as branching, translations. What the " +
			"kiosk cannot express is refused, naming the item. The file goes into the instruments folder beside the " +
			"database (or --out); the kiosk loads it at its next start.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			// no more than InstrumentOf takes, and one byte to refuse by
			data, err := io.ReadAll(io.LimitReader(f, fhir.MaxResource+1))
			f.Close()
			if err != nil {
				return err
			}
			conv, err := fhir.InstrumentOf(data, fhir.InstrumentOptions{ID: id, Order: order})
			if err != nil {
				return err
			}
			dest := out
			if dest == "" {
				path, err := g.path()
				if err != nil {
					return err
				}
				dir := sqlite.InstrumentDir(path)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
				dest = filepath.Join(dir, conv.Instrument.ID+".json")
			}
			base, _ := g.catalog()
			if err := screening.Check(dest, conv.File, base); err != nil {
				return err
			}
			f, err = os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s is there already: remove it, or give --id or --out", dest)
			}
			if err != nil {
				return err
			}
			if _, err := f.Write(conv.File); err != nil {
				f.Close()
				os.Remove(dest)
				return err
			}
			if err := f.Close(); err != nil {
				os.Remove(dest)
				return err
			}
			in := conv.Instrument
			fmt.Fprintf(cmd.OutOrStdout(), "%s: instrument %s version %s, %d items\n", dest, in.ID, in.Version, len(in.Items))
			for _, n := range conv.Notes {
				fmt.Fprintln(cmd.OutOrStdout(), "note:", n)
			}
			return nil
		},
	}
	c.Flags().StringVar(&id, "id", "", "the instrument's id (default: the Questionnaire's id or name)")
	c.Flags().IntVar(&order, "order", 0, "its place in the session, lowest first (default 100, after the built-in ones)")
	c.Flags().StringVar(&out, "out", "", "write the file here instead of the instruments folder beside the database")
	return c
}

// catalog loads the instruments as the kiosk does: built-in, then the
// clinic's folder beside the database.
func (g *globals) catalog() (*screening.Catalog, []error) {
	sources := []screening.Source{{Name: "built-in", FS: assets.Instruments()}}
	if path, err := g.path(); err == nil && isDir(sqlite.InstrumentDir(path)) {
		dir := sqlite.InstrumentDir(path)
		sources = append(sources, screening.Source{Name: dir, FS: os.DirFS(dir)})
	}
	return screening.Load(sources...)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func settingsCmd(g *globals, pp *passphrases) *cobra.Command {
	c := &cobra.Command{Use: "settings", Short: "Read or change the kiosk's settings"}
	get := &cobra.Command{
		Use:   "get [KEY]",
		Short: "Show one setting, or all with their meaning",
		Args:  cobra.MaximumNArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
			ctx := cmd.Context()
			out := cmd.OutOrStdout()
			if len(args) == 1 {
				v, err := st.Setting(ctx, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintln(out, v)
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			for _, d := range settings.Defs() {
				v, err := st.Setting(ctx, d.Key)
				if err != nil {
					return err
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Key, v, d.Help)
			}
			return tw.Flush()
		}),
	}
	set := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change a setting (admins; the kiosk reads settings when it starts)",
		Args:  cobra.ExactArgs(2),
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
			staff, err := g.admin(cmd, st, pp, "changes settings")
			if err != nil {
				return err
			}
			return staff.SetSetting(cmd.Context(), args[0], args[1])
		}),
	}
	c.AddCommand(get, set)
	return c
}

// sessionJSON is one line of `sessions list --json`.
type sessionJSON struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Status is where the session stands (intakekiosk.Standing):
	// in_progress, new, incomplete or reviewed.
	Status    string  `json:"status"`
	Started   string  `json:"started"`
	Completed *string `json:"completed"` // null until submitted
	// Printed and Reviewed are when (null: not yet), ReviewedBy who.
	Printed    *string `json:"printed"`
	Reviewed   *string `json:"reviewed"`
	ReviewedBy string  `json:"reviewed_by,omitempty"`
	Urgent     bool    `json:"urgent"`
	Attention  bool    `json:"attention"`
	// Pinned: urgent or needing attention, and not yet reviewed.
	Pinned bool `json:"pinned"`
	// PatientCode is the check-in code of the session's patient, only
	// after unlock (--as).
	PatientCode string `json:"patient_code,omitempty"`
}

// jsonTime is a time in RFC 3339, UTC; nil for zero.
func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func sessionsCmd(g *globals, pp *passphrases) *cobra.Command {
	c := &cobra.Command{Use: "sessions", Short: "List sessions (no patient data without unlock; with --as, the check-in codes)"}
	var since, status string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List sessions, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var f sqlite.Filter
			if since != "" {
				if _, err := time.Parse(time.DateOnly, since); err != nil {
					return usageError{fmt.Errorf("--since %q: want a date as YYYY-MM-DD", since)}
				}
			}
			if status != "" {
				s, err := intakekiosk.ParseStanding(status)
				if err != nil {
					return usageError{err}
				}
				f.Standing = s
			}
			st, err := g.open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			settings, err := st.Settings(cmd.Context())
			if err != nil {
				return err
			}
			// the clinic's days and times (time_zone)
			loc := settings.Location
			if since != "" {
				f.Since, _ = time.ParseInLocation(time.DateOnly, since, loc)
			}
			ss, err := st.Sessions(cmd.Context(), f)
			if err != nil {
				return err
			}
			// with --as, the staff member unlocks and the patients' codes
			// are shown (audited); without, nothing about a patient
			code := func(intakekiosk.Session) string { return "" }
			if g.as != "" {
				if code, err = g.patientCodes(cmd, st, pp); err != nil {
					return err
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				for _, s := range ss {
					j := sessionJSON{ID: s.ID, Kind: string(s.Kind), Status: string(s.Standing()),
						Started: s.Started.UTC().Format(time.RFC3339), Completed: jsonTime(s.Completed),
						Printed: jsonTime(s.Printed), Reviewed: jsonTime(s.Reviewed), ReviewedBy: s.ReviewedBy,
						Urgent: s.Urgent, Attention: s.Attention, Pinned: s.Pinned(), PatientCode: code(s)}
					if err := enc.Encode(j); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tSTARTED\tPRINTED\tCONCERN\tCODE")
			for _, s := range ss {
				concern := ""
				switch s.Concern() {
				case intakekiosk.Urgent:
					concern = "URGENT"
				case intakekiosk.NeedsAttention:
					concern = "ATTENTION"
				}
				if s.Pinned() {
					concern += " (pinned)"
				}
				printed := ""
				if !s.Printed.IsZero() {
					printed = s.Printed.In(loc).Format("2006-01-02 15:04")
				}
				status := string(s.Standing())
				if s.ReviewedBy != "" {
					status += " by " + s.ReviewedBy
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Kind, status, s.Started.In(loc).Format("2006-01-02 15:04"),
					printed, strings.TrimSpace(concern), code(s))
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVar(&since, "since", "", "only sessions started on or after this date (YYYY-MM-DD)")
	list.Flags().StringVar(&status, "status", "", "only sessions that stand so: new or incomplete (not yet reviewed), unreviewed (either), reviewed, printed (reviewed or not), in_progress")
	list.Flags().BoolVar(&asJSON, "json", false, "one JSON object a line")
	c.AddCommand(list)
	return c
}

// patientCodes signs in as the staff member acting and returns the
// check-in code of a session's patient ("" when none), reading each
// patient once. Reading them is audited.
func (g *globals) patientCodes(cmd *cobra.Command, st *sqlite.Store, pp *passphrases) (func(intakekiosk.Session) string, error) {
	ctx := cmd.Context()
	staff, err := g.signIn(ctx, st, pp, nil)
	if err != nil {
		return nil, err
	}
	codes, err := staff.Codes(ctx, "session list with check-in codes")
	if err != nil {
		return nil, err
	}
	return func(s intakekiosk.Session) string {
		if s.PatientID == "" {
			return ""
		}
		c, err := codes.Of(ctx, s.PatientID)
		if err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "session %s: %v\n", s.ID, err)
		}
		return c
	}, nil
}
