//go:build unix

package speech

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// reapTimeout bounds how long stopping waits for a killed engine process to
// be reaped, so that a new Say never plays over the old one in practice and
// never hangs if the kernel is slow to let the process go.
const reapTimeout = time.Second

// procPlayer plays text by starting one engine process per Say, with the
// text on its standard input, in a process group of its own. The group is
// killed by Stop, by the next Say and by the Say's context ending. The zero
// value is ready to use.
type procPlayer struct {
	mu  sync.Mutex
	cur *proc // the process of the latest Say; nil after Stop
}

// proc is one started engine process.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once cmd.Wait has returned
}

// play stops what is playing, then starts path with args in its own process
// group and text on its standard input, and returns without waiting for it.
// The process is killed when ctx ends.
func (p *procPlayer) play(ctx context.Context, path string, args []string, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("speech: not started: %w", err)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = strings.NewReader(text)
	// Stdout and Stderr stay nil (/dev/null): the engine's complaints about
	// a missing sound device must not fill the kiosk's log on every tap.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd.Process) }
	cmd.WaitDelay = reapTimeout
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("speech: start %s: %w", path, err)
	}
	pr := &proc{cmd: cmd, done: make(chan struct{})}
	go func() {
		// The exit status is of no interest: a killed or failed read-aloud
		// has nobody to report to once Say has returned.
		_ = cmd.Wait()
		close(pr.done)
	}()
	p.cur = pr
	return nil
}

// stop kills what is playing, if anything, and waits for it to be gone.
func (p *procPlayer) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
}

// stopLocked is stop with p.mu held.
func (p *procPlayer) stopLocked() {
	pr := p.cur
	p.cur = nil
	if pr == nil {
		return
	}
	select {
	case <-pr.done:
		// Already exited and reaped: its process id may belong to someone
		// else by now, so send nothing.
		return
	default:
	}
	_ = killGroup(pr.cmd.Process)
	select {
	case <-pr.done:
	case <-time.After(reapTimeout):
	}
}

// killGroup sends SIGKILL to the process group led by proc (the engine and
// anything it started), falling back to the process alone.
func killGroup(proc *os.Process) error {
	if proc == nil {
		return nil
	}
	err := syscall.Kill(-proc.Pid, syscall.SIGKILL)
	if err == nil {
		return nil
	}
	if kerr := proc.Kill(); kerr != nil && !errors.Is(kerr, os.ErrProcessDone) {
		return fmt.Errorf("speech: kill process %d: %w", proc.Pid, errors.Join(err, kerr))
	}
	return nil
}
