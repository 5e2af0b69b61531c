package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/fhir"
	"intakekiosk/screening"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
)

// passphrases reads passphrases: for automation from KIOSK_PASSPHRASE
// (the acting staff member's) and KIOSK_NEW_PASSPHRASE (one being set),
// else from the terminal without echo, or one a line from standard input
// when it is not a terminal. A passphrase being set is asked twice.
type passphrases struct {
	in     io.Reader
	lines  *bufio.Reader
	errOut io.Writer
}

func newPassphrases(in io.Reader, errOut io.Writer) *passphrases {
	return &passphrases{in: in, lines: bufio.NewReader(in), errOut: errOut}
}

// read asks for the acting staff member's passphrase (confirm false) or a
// new one (confirm true).
func (p *passphrases) read(prompt string, confirm bool) (string, error) {
	env := "KIOSK_PASSPHRASE"
	if confirm {
		env = "KIOSK_NEW_PASSPHRASE"
	}
	if v, ok := os.LookupEnv(env); ok {
		return v, nil
	}
	f, ok := p.in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		line, err := p.lines.ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("no passphrase: set %s or run in a terminal", env)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(p.errOut, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(p.errOut)
		return string(b), err
	}
	first, err := ask(prompt)
	if err != nil || !confirm {
		return first, err
	}
	again, err := ask("Again: ")
	if err != nil {
		return "", err
	}
	if again != first {
		return "", errors.New("the passphrases differ")
	}
	return first, nil
}

// admin signs the staff member --as names in and requires an
// administrator: the desk refuses anyone else on record (desk.AdminOnly,
// naming the command), and what names what only an admin does, in the
// refusal ("Cy is a counselor: only an admin adds staff"). No instrument
// is loaded: the work it is for reads no answers.
func (g *globals) admin(cmd *cobra.Command, st *sqlite.Store, pp *passphrases, what string) (*desk.Staff, error) {
	ctx := cmd.Context()
	staff, err := g.signIn(ctx, st, pp, nil)
	if err != nil {
		return nil, err
	}
	if err := staff.AdminOnly(ctx, cmd.CommandPath()); errors.Is(err, desk.ErrAdminOnly) {
		who := staff.Who()
		return nil, &fault.Error{Kind: fault.Permission, Err: fmt.Errorf("%s is a %s: only an admin %s", who.Name, who.Role, what)}
	} else if err != nil {
		return nil, err
	}
	return staff, nil
}

// signIn signs the staff member --as names in at the desk: what they then
// open, print, save, export or change is on record as the staff screens
// put it. cat is the instruments sessions are read with (nil: none, for
// work that reads no answers).
// signInAt signs the staff member of --as in for a command, over the
// instruments the kiosk loads (a rejected file said on stderr).
func (g *globals) signInAt(cmd *cobra.Command, st *sqlite.Store, pp *passphrases) (*desk.Staff, error) {
	cat, errs := g.catalog()
	for _, e := range errs {
		fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", e)
	}
	return g.signIn(cmd.Context(), st, pp, cat)
}

func (g *globals) signIn(ctx context.Context, st *sqlite.Store, pp *passphrases, cat *screening.Catalog) (*desk.Staff, error) {
	if g.as == "" {
		return nil, usageError{errors.New("say who acts: --as NAME (or KIOSK_STAFF)")}
	}
	pass, err := pp.read(fmt.Sprintf("Passphrase for %s: ", g.as), false)
	if err != nil {
		return nil, err
	}
	staff, err := desk.New(st, cat, time.Now).Unlock(ctx, g.as, pass)
	if err != nil {
		return nil, fmt.Errorf("unlock as %s: %w", g.as, err)
	}
	return staff, nil
}

func initCmd(g *globals, pp *passphrases) *cobra.Command {
	var admin, clinicKeyFile, fhirBase string
	c := &cobra.Command{
		Use:   "init --admin NAME [--clinic-key FILE] [--fhir-base URL]",
		Short: "Create a database, this clinic's key pair and the first admin",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if admin == "" {
				return usageError{errors.New("--admin NAME is required")}
			}
			if def, err := settings.Lookup(fhir.BaseSetting); err != nil {
				return err
			} else if err := def.Check(fhirBase); err != nil {
				return usageError{fmt.Errorf("--fhir-base: %s", settingReason(err))}
			}
			var extra []string
			if clinicKeyFile != "" {
				b, err := os.ReadFile(clinicKeyFile)
				if err != nil {
					return fmt.Errorf("main clinic's key: %w", err)
				}
				extra = append(extra, strings.TrimSpace(string(b)))
			}
			path, err := g.path()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := sqlite.Open(ctx, path, sqlite.Options{})
			if err != nil {
				return err
			}
			defer st.Close()
			if st.IsSetUp() {
				return fmt.Errorf("database %s: %w", path, sqlite.ErrAlreadySetUp)
			}
			pass, err := pp.read(fmt.Sprintf("New passphrase for %s (10 characters or more): ", admin), true)
			if err != nil {
				return err
			}
			recovery, err := st.SetUp(ctx, admin, pass, time.Now(), extra...)
			if err != nil {
				return err
			}
			if fhirBase != "" {
				if err := st.SetSetting(ctx, fhir.BaseSetting, fhirBase, admin, time.Now()); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), `Set up %s with the admin %s.

Recovery key (write it down or print it, and keep it in a safe away from
the kiosk; if every admin forgets their passphrase, it is the only way to
read the records; it is not shown again):

    %s
`, path, admin, recovery)
			return nil
		},
	}
	c.Flags().StringVar(&admin, "admin", "", "the first admin's name")
	c.Flags().StringVar(&clinicKeyFile, "clinic-key", "", "a main clinic's public key file: sessions are sealed to it too (satellite sites)")
	c.Flags().StringVar(&fhirBase, "fhir-base", "", "the clinic's FHIR base URL (https://…), where the canonical URLs of its FHIR exports begin (the fhir_base setting; a FHIR export refuses without it)")
	return c
}

// settingReason is why a setting's value was refused, without the key.
func settingReason(err error) string {
	if e, ok := errors.AsType[*fault.Error](err); ok {
		return e.Reason()
	}
	return err.Error()
}

func staffCmd(g *globals, pp *passphrases) *cobra.Command {
	c := &cobra.Command{Use: "staff", Short: "Manage staff accounts (admins)"}
	var role string
	var recovery bool
	add := &cobra.Command{
		Use:   "add NAME --role counselor|admin [--recovery-key]",
		Short: "Add a staff account (asks the new member's passphrase); --recovery-key when every admin has forgotten theirs",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
			r, err := sqlite.ParseRole(role)
			if err != nil {
				return usageError{err}
			}
			var staff *desk.Staff
			if recovery {
				text, err := pp.read("Recovery key: ", false)
				if err != nil {
					return err
				}
				if staff, err = desk.New(st, nil, time.Now).Recover(cmd.Context(), text, args[0]); err != nil {
					return err
				}
			} else if staff, err = g.admin(cmd, st, pp, "adds staff"); err != nil {
				return err
			}
			pass, err := pp.read(fmt.Sprintf("New passphrase for %s (10 characters or more): ", args[0]), true)
			if err != nil {
				return err
			}
			return staff.AddStaff(cmd.Context(), args[0], r, pass)
		}),
	}
	add.Flags().StringVar(&role, "role", "", "counselor or admin")
	add.Flags().BoolVar(&recovery, "recovery-key", false, "unlock with the recovery key printed at setup (asked, or KIOSK_PASSPHRASE)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List staff accounts",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			staff, err := st.StaffList(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tSTATE")
			for _, s := range staff {
				state := "active"
				switch {
				case s.Disabled:
					state = "disabled"
				case time.Now().Before(s.LockedUntil):
					state = "locked until " + s.LockedUntil.Local().Format("15:04")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Role, s.Created.Local().Format("2006-01-02"), state)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, twins := range sqlite.CaseTwins(staff) {
				fmt.Fprintf(cmd.OutOrStdout(), "names that differ only in case: %s; sign-in matches each only as typed: disable all but one (staff disable NAME)\n",
					strings.Join(twins, ", "))
			}
			return nil
		}),
	}
	disable := &cobra.Command{
		Use:   "disable NAME",
		Short: "Disable an account and delete its wrapped key",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
			staff, err := g.admin(cmd, st, pp, "disables staff")
			if err != nil {
				return err
			}
			return staff.DisableStaff(cmd.Context(), args[0])
		}),
	}
	c.AddCommand(add, list, disable)
	return c
}

func verifyCmd(g *globals, pp *passphrases) *cobra.Command {
	return &cobra.Command{
		Use: "verify",
		Short: "Check the database's integrity and audit chain, changing nothing (read-only, in memory); " +
			"with --as, also that every sealed record opens (the sign-in is audited)",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			path, err := g.path()
			if err != nil {
				return err
			}
			ro, err := sqlite.OpenReadOnly(ctx, path)
			if err != nil {
				return err
			}
			defer ro.Close()
			out := cmd.OutOrStdout()
			if err := verifyStore(ctx, ro, out); err != nil {
				return err
			}
			if g.as == "" {
				problems, err := ro.VerifyChains(ctx)
				if err != nil {
					return err
				}
				return chainVerdict(out, problems, nil)
			}
			ro.Close()
			return g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
				staff, err := g.signIn(ctx, st, pp, nil)
				if err != nil {
					return err
				}
				v, err := staff.Verify(ctx)
				if err != nil {
					return err
				}
				if v.OK() {
					fmt.Fprintf(out, "sealed records: %d sessions, %d records, %d returning patients, all open\n", v.Sessions, v.Records, v.Patients)
				}
				return chainVerdict(out, v.Chains, v.Damaged)
			})(cmd, nil)
		},
	}
}

// chainVerdict says what verify found of the records: each session or
// patient not as the audit log counted it (problems) or whose records do
// not open (damaged), and what to do; an error when there is any.
func chainVerdict(out io.Writer, problems []sqlite.ChainProblem, damaged []string) error {
	if len(problems) == 0 && len(damaged) == 0 {
		fmt.Fprintln(out, "records: every session and patient the audit log counted is here, whole")
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(out, "records: "+p.String())
	}
	for _, d := range damaged {
		fmt.Fprintln(out, "records: "+d)
	}
	return fmt.Errorf("%d sessions or patients are not as they were written: records were removed or changed outside the kiosk "+
		"(or the disk is failing). Keep this database as it is for the clinic's IT contact, and restore the newest backup "+
		"that verifies (kioskctl verify --db BACKUP, then kioskctl restore --from BACKUP)", len(problems)+len(damaged))
}

// verifyStore checks a store opened read-only and puts each verdict in
// words: what was found, what it means, what to do.
func verifyStore(ctx context.Context, st *sqlite.Store, out io.Writer) error {
	if err := st.IntegrityCheck(ctx); err != nil {
		return fmt.Errorf("%w. The database file is damaged. Keep it as it is; put the newest backup that verifies "+
			"in its place (kioskctl restore --from BACKUP) and call IT", err)
	}
	fmt.Fprintln(out, "integrity: ok")
	n, err := st.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if st.HeadLags() {
		fmt.Fprintf(out, "audit log: %d entries, chain intact; the audit head file is one entry behind "+
			"(the kiosk stopped between saving its last audited change and updating that file); "+
			"nothing to do: the next start of the kiosk or kioskctl brings it up to date\n", n)
	} else {
		fmt.Fprintf(out, "audit log: %d entries, chain intact\n", n)
	}
	for _, w := range st.Warnings() {
		return fmt.Errorf("%w. Verify checked the database without it. The kiosk's next start sets it aside; "+
			"if it should hold this database's newest answers, keep both files and call IT before starting the kiosk", w)
	}
	return nil
}

func purgeCmd(g *globals, pp *passphrases) *cobra.Command {
	var olderThan string
	c := &cobra.Command{
		Use:   "purge --older-than DURATION",
		Short: "Delete sessions started longer ago than DURATION (admins), e.g. 90d, 12w, 2y, 720h",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			age, err := parseAge(olderThan)
			if err != nil {
				return usageError{err}
			}
			staff, err := g.admin(cmd, st, pp, "purges")
			if err != nil {
				return err
			}
			now := time.Now()
			n, err := staff.Purge(cmd.Context(), now.Add(-age))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted %d sessions started before %s\n", n, now.Add(-age).Local().Format("2006-01-02 15:04"))
			return nil
		}),
	}
	c.Flags().StringVar(&olderThan, "older-than", "", "age of the sessions to delete: 90d, 12w, 2y, or a Go duration such as 720h")
	return c
}

// parseAge reads a duration in days (d), weeks (w) or years of 365 days
// (y), or a Go duration.
func parseAge(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("--older-than DURATION is required (for example 90d)")
	}
	day := 24 * time.Hour
	for unit, size := range map[string]time.Duration{"d": day, "w": 7 * day, "y": 365 * day} {
		if num, ok := strings.CutSuffix(s, unit); ok {
			var n int
			if _, err := fmt.Sscanf(num, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != num {
				return 0, fmt.Errorf("--older-than %q: want a whole number before %q", s, unit)
			}
			return time.Duration(n) * size, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--older-than %q: want a duration such as 90d, 12w, 2y or 720h", s)
	}
	return d, nil
}

func clinicKeyCmd(g *globals) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "clinic-key --out FILE",
		Short: "Write this clinic's public key, for setting up a satellite site (kioskctl init --clinic-key FILE there)",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE is required")}
			}
			k, err := st.ClinicPublicKey(cmd.Context())
			if err != nil {
				return err
			}
			return os.WriteFile(out, []byte(k+"\n"), 0o644)
		}),
	}
	c.Flags().StringVar(&out, "out", "", "file to write the public key to")
	return c
}
