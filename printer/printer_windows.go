package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/windows"
)

// Print spools one document (plain text or PDF) to a private temporary
// file and asks Windows to print it with the "print" verb of the app
// registered for its type ("printto" with the queue's name when Name is
// set). The file is deleted spoolKeep later, or by a later Print if this
// process ends first. The title is unused: Windows names the job after
// the file. Windows gives back no job id, so the id is empty.
func (p Printer) Print(ctx context.Context, title string, doc io.Reader) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("print: %w", err)
	}
	if strings.ContainsRune(p.Name, '"') {
		return "", fmt.Errorf("%w: no printer is named %s", ErrNoPrinter, p.Name)
	}
	dir := os.TempDir()
	// Leftovers are a privacy matter, not a reason to refuse to print.
	_ = sweepSpool(dir, time.Now().Add(-spoolKeep))
	file, err := spoolFile(dir, doc)
	if err != nil {
		return "", err
	}
	verb, params := "print", ""
	if p.Name != "" {
		verb, params = "printto", `"`+p.Name+`"`
	}
	if err := shellExecute(verb, file, params); err != nil {
		os.Remove(file)
		if errors.Is(err, windows.ERROR_NO_ASSOCIATION) {
			return "", fmt.Errorf("%w: no app is set to print this kind of file (the default PDF app must support the print verb): %v", ErrNoPrinter, err)
		}
		return "", fmt.Errorf("print %s: %w", verb, err)
	}
	// The app reads the file after ShellExecuteW returns.
	time.AfterFunc(spoolKeep, func() { os.Remove(file) })
	return "", nil
}

// shellExecute runs verb on file through the shell, with COM initialised
// on this thread as ShellExecuteW asks (a verb may be a shell extension).
func shellExecute(verb, file, params string) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// S_FALSE: already initialised on this thread, which still wants the
	// matching uninitialise; RPC_E_CHANGED_MODE: initialised otherwise,
	// usable as it is.
	switch err := windows.CoInitializeEx(0, windows.COINIT_APARTMENTTHREADED|windows.COINIT_DISABLE_OLE1DDE); {
	case err == nil, err == syscall.Errno(windows.S_FALSE):
		defer windows.CoUninitialize()
	case err == syscall.Errno(windows.RPC_E_CHANGED_MODE):
	default:
		return fmt.Errorf("initialise COM: %w", err)
	}
	v, err := windows.UTF16PtrFromString(verb)
	if err != nil {
		return err
	}
	f, err := windows.UTF16PtrFromString(file)
	if err != nil {
		return err
	}
	var a *uint16
	if params != "" {
		if a, err = windows.UTF16PtrFromString(params); err != nil {
			return err
		}
	}
	return windows.ShellExecute(0, v, f, a, nil, windows.SW_SHOWMINNOACTIVE)
}
