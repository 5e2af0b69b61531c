// Package printer sends documents to the operating system's print service.
//
// On Linux and macOS it runs CUPS `lp` and feeds the document on standard
// input, so that no file of ours is written; CUPS gives back a job id.
//
// On Windows no print service takes a document on a pipe, so Print writes
// it to a private temporary file in the user's temp folder, named
// "intakekiosk-print-*" with a random rest (never patient data), and asks
// Windows to print it with the file type's "print" verb (ShellExecuteW;
// "printto" for a named printer). The app that prints reads the file
// after ShellExecuteW has returned, so the file is deleted a few minutes
// later by a timer; a file of ours left behind by a process that ended
// before its timer (kioskctl does) is swept by the next Print. The default
// app for PDF files must support the print verb: not every PDF viewer
// registers one (Explorer's right-click menu on a PDF shows Print when it
// does). Windows gives back no job id.
//
// What the print systems themselves keep (CUPS's spool, cups-pdf's output
// folder, the Windows temporary file) is described in SECURITY.md.
package printer

import "intakekiosk/fault"

// ErrNoPrinter: no printer is set up (or the one named does not exist, or
// nothing on the system can print the document).
var ErrNoPrinter error = fault.E(fault.Unavailable, "no printer is set up")

// Printer prints through the operating system: CUPS `lp` on Linux and
// macOS, the shell's print verb on Windows.
type Printer struct {
	// Name is the print queue; empty means the system's default printer.
	Name string
	// Command is the lp program; empty means "lp" on the PATH. Windows
	// has no lp and ignores it.
	Command string
}
