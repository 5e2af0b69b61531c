// Command kioskctl is the intake kiosk's headless admin tool: staff,
// instruments, settings, the session list and session summaries (saved
// or printed), for scripts and satellite sites.
//
// Exit status: 0 success, 1 failure (one line on stderr), 2 usage error,
// 3 done in part: an export that skipped sessions that do not open, a
// salvage that could not read everything (each named on stderr).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"intakekiosk/privfile"
)

// usageError marks a mistake in the command line (exit status 2).
type usageError struct{ error }

// partialError marks a command that did what it could and left out what
// it names (exit status 3).
type partialError struct{ error }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runWith(args, stdin, stdout, stderr, privfile.Options{})
}

// runWith is run with the options files of patient data are written
// with (the tests force the part-file fallback with Named).
func runWith(args []string, stdin io.Reader, stdout, stderr io.Writer, files privfile.Options) int {
	root := newRoot(newPassphrases(stdin, stderr), files)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "kioskctl:", err)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	var pe partialError
	if errors.As(err, &pe) {
		return 3
	}
	return 1
}

// globals are the flags every command takes.
type globals struct {
	db string
	as string
	// files is how files of patient data (exports, PDFs) are written
	files privfile.Options
}

func newRoot(pp *passphrases, files privfile.Options) *cobra.Command {
	g := &globals{files: files}
	root := &cobra.Command{
		Use:           "kioskctl",
		Short:         "Administer an intake kiosk's database",
		SilenceUsage:  true,
		SilenceErrors: true,
		// a word that names no command is a usage error (cobra's own
		// check says so only in words)
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			err := fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				err = fmt.Errorf("%w (did you mean %s?)", err, strings.Join(s, ", "))
			}
			return usageError{err}
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SuggestionsMinimumDistance = 2
	root.PersistentFlags().StringVar(&g.db, "db", "", "database file (default: as the kiosk)")
	root.PersistentFlags().StringVar(&g.as, "as", os.Getenv("KIOSK_STAFF"), "staff member acting (or KIOSK_STAFF)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(initCmd(g, pp), demoCmd(g, pp), staffCmd(g, pp), instrumentsCmd(g), consentsCmd(g), takeHomeCmd(g), settingsCmd(g, pp), sessionsCmd(g, pp),
		verifyCmd(g, pp), purgeCmd(g, pp), clinicKeyCmd(g), reportCmd(g, pp), printCmd(g, pp), backupCmd(g, pp), restoreCmd(g), exportCmd(g, pp),
		siteKeyCmd(g, pp), sitesCmd(g, pp), importCmd(g, pp), salvageCmd(g), networkCmd(g, pp))
	for _, c := range root.Commands() {
		wrapArgs(c)
	}
	return root
}

// wrapArgs turns cobra's argument-count errors into usage errors.
func wrapArgs(c *cobra.Command) {
	if v := c.Args; v != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := v(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}
