package hub

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// State is how the node stands with the server, as Run last saw it.
type State struct {
	// Connected says whether it is connected now; Err is why not (nil
	// while connected, or before the first try).
	Connected bool
	Err       error
	// LastPush and LastPull are when each last succeeded (zero: never).
	LastPush, LastPull time.Time
}

// Runner keeps a node in touch with the server: connected (and again,
// waiting longer each time, when the server is gone), pushing within
// Poll of each change here, pulling as soon as the server says another
// node pushed (LISTEN), and saying where it stands.
type Runner struct {
	node *Node
	// Pulled is told of each pull that brought something (on Run's
	// goroutine).
	Pulled func(Pulled)
	// Retry is the first wait after a failure (doubling up to a minute).
	Retry time.Duration
	// Contact is how often the node tells the server where it stands.
	Contact time.Duration
	// Log hears when the node connects and loses the server (no patient
	// data: counts, kinds and the server's words).
	Log *slog.Logger

	mu    sync.Mutex
	state State
}

// NewRunner keeps node in touch with the server.
func NewRunner(node *Node) *Runner {
	return &Runner{node: node, Retry: time.Second, Contact: 10 * time.Second}
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// State is where the node stands now.
func (r *Runner) State() State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

func (r *Runner) set(f func(*State)) {
	r.mu.Lock()
	f(&r.state)
	r.mu.Unlock()
}

// Run works until ctx ends. A patient never waits on it: every commit is
// already durable here, and what the server has not had goes when it is
// back.
func (r *Runner) Run(ctx context.Context) {
	wait := r.Retry
	for ctx.Err() == nil {
		err := r.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if was := r.State(); was.Connected || was.Err == nil || was.Err.Error() != err.Error() {
			r.log().Warn("clinic network: not connected; working offline", "err", err)
		}
		r.set(func(s *State) { s.Connected, s.Err = false, err })
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
		if r.State().LastPush.After(time.Now().Add(-time.Minute)) {
			wait = r.Retry
		}
	}
}

// session is one connection's life: it returns why it ended.
func (r *Runner) session(ctx context.Context) error {
	work, err := r.node.dial(ctx, r.node.cfg.URL)
	if err != nil {
		return err
	}
	defer work.Close()
	listen, err := r.node.dial(ctx, r.node.cfg.URL)
	if err != nil {
		return err
	}
	lctx, stop := context.WithCancel(ctx)
	defer func() {
		stop()
		listen.Close()
	}()
	if err := listen.Listen(ctx); err != nil {
		return err
	}
	heard := make(chan struct{}, 1)
	lost := make(chan error, 1)
	go func() {
		for {
			if err := listen.Wait(lctx); err != nil {
				lost <- err
				return
			}
			select {
			case heard <- struct{}{}:
			default:
			}
		}
	}()
	r.set(func(s *State) { s.Connected, s.Err = true, nil })
	r.log().Info("clinic network: connected", "node", r.node.cfg.Name)
	if err := r.sync(ctx, work, true, true); err != nil {
		return err
	}
	if err := r.node.Contact(ctx, work); err != nil {
		return err
	}
	poll := time.NewTicker(r.node.Poll)
	defer poll.Stop()
	contact := time.NewTicker(r.Contact)
	defer contact.Stop()
	clock, _ := r.node.store.ChangeClock(ctx)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-lost:
			return err
		case <-heard:
			if err := r.sync(ctx, work, false, true); err != nil {
				return err
			}
		case <-poll.C:
			now, err := r.node.store.ChangeClock(ctx)
			if err != nil || now == clock {
				continue
			}
			clock = now
			if err := r.sync(ctx, work, true, false); err != nil {
				return err
			}
		case <-contact.C:
			if err := r.sync(ctx, work, true, true); err != nil {
				return err
			}
			if err := r.node.Contact(ctx, work); err != nil {
				return err
			}
		}
	}
}

// sync pushes and pulls as asked.
func (r *Runner) sync(ctx context.Context, srv Server, push, pull bool) error {
	if push {
		if _, err := r.node.Push(ctx, srv); err != nil {
			return err
		}
		r.set(func(s *State) { s.LastPush = time.Now() })
	}
	if pull {
		got, err := r.node.Pull(ctx, srv)
		if !got.Empty() && r.Pulled != nil {
			r.Pulled(got)
		}
		if err != nil {
			return err
		}
		r.set(func(s *State) { s.LastPull = time.Now() })
	}
	return nil
}

// Contact tells the server where this node stands: its clock, how many
// changes it has not pushed, where it has pulled to.
func (n *Node) Contact(ctx context.Context, srv Server) error {
	cur, err := n.store.Hub(ctx)
	if err != nil {
		return err
	}
	return srv.Contact(ctx, n.now(), cur.Pending, cur.Pulled)
}

// Sync pushes and pulls once, connecting for it (kioskctl network sync;
// a satellite on a network now and then).
func (n *Node) Sync(ctx context.Context) (Pushed, Pulled, error) {
	srv, err := n.dial(ctx, n.cfg.URL)
	if err != nil {
		return Pushed{}, Pulled{}, err
	}
	defer srv.Close()
	pushed, err := n.Push(ctx, srv)
	if err != nil {
		return pushed, Pulled{}, err
	}
	pulled, err := n.Pull(ctx, srv)
	if err != nil {
		return pushed, pulled, err
	}
	return pushed, pulled, n.Contact(ctx, srv)
}
