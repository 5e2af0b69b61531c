//go:build !windows

package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"regexp"
	"strings"
)

var jobID = regexp.MustCompile(`request id is (\S+)`)

// Print sends one document (plain text or PDF: CUPS detects which) titled
// title to `lp` on its standard input, and returns the print job's id.
// The title shows in CUPS's logs and `lpstat`: it must carry no patient
// data.
func (p Printer) Print(ctx context.Context, title string, doc io.Reader) (string, error) {
	cmdName := p.Command
	if cmdName == "" {
		cmdName = "lp"
	}
	args := []string{"-t", title}
	if p.Name != "" {
		args = append(args, "-d", p.Name)
	}
	cmd := exec.CommandContext(ctx, cmdName, args...)
	cmd.Stdin = doc
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	msg := strings.TrimSpace(errOut.String())
	var ee *exec.Error
	switch {
	case errors.As(err, &ee) || errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("%w: the print command %q is not installed", ErrNoPrinter, cmdName)
	case err != nil && noPrinter(msg):
		return "", fmt.Errorf("%w (%s)", ErrNoPrinter, msg)
	case err != nil:
		return "", fmt.Errorf("print: %v: %s", err, msg)
	}
	if m := jobID.FindStringSubmatch(out.String()); m != nil {
		return m[1], nil
	}
	return "", nil
}

// noPrinter recognises lp's words for a missing destination.
func noPrinter(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"no default destination", "does not exist", "not exist", "unknown destination", "scheduler is not running", "connection refused"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}
