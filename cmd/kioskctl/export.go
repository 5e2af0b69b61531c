package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk/bundle"
	"intakekiosk/exchange"
	"intakekiosk/export"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// exporters are the formats export writes, by name.
var exporters = map[string]func(ctx context.Context, f *os.File, st *sqlite.Store, key *vault.ClinicKey, cat *screening.Catalog, o exportOptions) (int, error){
	// bundle: the sessions still sealed, signed, for the main clinic;
	// without --since, those not yet exported
	"bundle": func(ctx context.Context, f *os.File, st *sqlite.Store, key *vault.ClinicKey, _ *screening.Catalog, o exportOptions) (int, error) {
		if o.deidentified {
			return 0, usageError{errors.New("--deidentified: a bundle carries sealed sessions as they are")}
		}
		sent, err := bundle.Export(ctx, f, st, key, o.since, time.Now())
		o.exported(sent)
		return len(sent.Sessions), err
	},
	"fhir": func(ctx context.Context, f *os.File, st *sqlite.Store, key *vault.ClinicKey, cat *screening.Catalog, o exportOptions) (int, error) {
		if o.deidentified {
			return 0, usageError{errors.New("--deidentified: only the CSV export is de-identified")}
		}
		return exportFHIR(ctx, f, st, key, cat, o.since)
	},
	"csv": func(ctx context.Context, f *os.File, st *sqlite.Store, key *vault.ClinicKey, cat *screening.Catalog, o exportOptions) (int, error) {
		w := bufio.NewWriterSize(f, 1<<16)
		n, err := export.CSV(ctx, w, st, key, cat, export.Options{Since: o.since, Deidentified: o.deidentified, Location: time.Local})
		if err == nil {
			err = w.Flush()
		}
		return n, err
	},
}

// exportOptions are the export command's flags, read.
type exportOptions struct {
	since        time.Time
	deidentified bool
	// exported takes what a bundle holds and when it was begun, to mark
	// it exported once the file is in place
	exported func(sent exchange.Sent)
}

func exportCmd(g *globals, pp *passphrases) *cobra.Command {
	var format, out, since string
	var deid bool
	c := &cobra.Command{
		Use:   "export --format csv|fhir|bundle --out FILE [--since DATE] [--deidentified]",
		Short: "Write sessions out for other tools (unlocks; audited)",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			write, ok := exporters[format]
			if !ok {
				return usageError{fmt.Errorf("--format %q: one of %s", format, strings.Join(formatNames(), ", "))}
			}
			if out == "" {
				return usageError{errors.New("--out FILE is required")}
			}
			var o exportOptions
			o.deidentified = deid
			var bundled exchange.Sent
			o.exported = func(sent exchange.Sent) { bundled = sent }
			if since != "" {
				t, err := time.ParseInLocation(time.DateOnly, since, time.Local)
				if err != nil {
					return usageError{fmt.Errorf("--since %q: want a date as YYYY-MM-DD", since)}
				}
				o.since = t
			}
			ctx := cmd.Context()
			key, who, err := g.unlock(ctx, st, pp)
			if err != nil {
				return err
			}
			cat, errs := g.catalog()
			for _, e := range errs {
				fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", e)
			}
			n, err := writeExport(out, func(f *os.File) (int, error) { return write(ctx, f, st, key, cat, o) })
			if err != nil {
				return err
			}
			detail := fmt.Sprintf("%s, %d sessions", format, n)
			if len(bundled.Patients) > 0 {
				detail += fmt.Sprintf(", %d returning patients", len(bundled.Patients))
			}
			if deid {
				detail += ", de-identified"
			}
			entry := sqlite.Entry{At: time.Now(), Actor: who.Name, Action: sqlite.ActExport, Detail: detail}
			if !bundled.Empty() {
				// the bundle is in place: what it holds is not exported
				// again unless it changes, and the audit entry says so in
				// the same commit
				err = st.MarkSent(ctx, bundled, entry)
			} else {
				err = st.Audit(ctx, entry)
			}
			if err := keepIfAudited(cmd.ErrOrStderr(), out, err); err != nil {
				return err
			}
			if len(bundled.Patients) > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d sessions, %d returning patients\n", out, n, len(bundled.Patients))
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d sessions\n", out, n)
			}
			return nil
		}),
	}
	c.Flags().StringVar(&format, "format", "", "the format: "+strings.Join(formatNames(), ", "))
	c.Flags().StringVar(&out, "out", "", "the file to write (mode 0600; never overwritten)")
	c.Flags().StringVar(&since, "since", "", "only sessions started on or after this date (YYYY-MM-DD)")
	c.Flags().BoolVar(&deid, "deidentified", false, "no names, dates of birth, codes or session ids; each patient's dates shifted by one random offset")
	return c
}

// formatNames lists the export formats.
func formatNames() []string {
	var names []string
	for n := range exporters {
		names = append(names, n)
	}
	return names
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

// writeExport writes a new file of ours (mode 0600) through a temporary
// file beside it, renamed into place only when complete: a failure (a
// full USB stick) leaves nothing behind.
func writeExport(path string, write func(*os.File) (int, error)) (int, error) {
	if _, err := os.Lstat(path); err == nil {
		return 0, fmt.Errorf("%s exists already; choose a new file", path)
	}
	return writeWhole(path, write)
}

// writeWhole writes path (mode 0600) through a temporary file beside it,
// renamed into place only when complete: a failure leaves nothing behind,
// and a file already there stays as it was until the new one replaces it.
func writeWhole(path string, write func(*os.File) (int, error)) (int, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	tmp := f.Name()
	n, err := write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	return n, nil
}
