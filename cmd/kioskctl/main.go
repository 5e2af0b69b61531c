// Command kioskctl is the intake kiosk's headless admin tool: staff,
// instruments, settings, the session list and session summaries (saved
// or printed), for scripts and satellite sites.
//
// Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// usageError marks a mistake in the command line (exit status 2).
type usageError struct{ error }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(newPassphrases(stdin, stderr))
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
	return 1
}

// globals are the flags every command takes.
type globals struct {
	db string
	as string
}

func newRoot(pp *passphrases) *cobra.Command {
	g := &globals{}
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
	root.AddCommand(initCmd(g, pp), demoCmd(g, pp), staffCmd(g, pp), instrumentsCmd(g), settingsCmd(g, pp), sessionsCmd(g, pp),
		verifyCmd(g, pp), purgeCmd(g, pp), clinicKeyCmd(g), reportCmd(g, pp), printCmd(g, pp), backupCmd(g, pp), exportCmd(g, pp),
		siteKeyCmd(g, pp), sitesCmd(g, pp), importCmd(g, pp))
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
