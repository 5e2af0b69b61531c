package main

import (
	"log/slog"
	"time"

	"intakekiosk/fault"
	"intakekiosk/hub"
	"intakekiosk/postgres"
	"intakekiosk/sqlite"
)

// network is the clinic network's sync for the database at path, or nil
// when it has not joined one (kioskctl network join). A configuration
// that cannot be read leaves the kiosk offline, as a kiosk without a
// network works, and says so in the log.
func network(path string, st *sqlite.Store, log *slog.Logger) *hub.Runner {
	cfg, err := hub.LoadConfig(hub.ConfigPath(path))
	if fault.Is(fault.NotFound, err) {
		return nil
	}
	if err != nil {
		log.Error("clinic network: working offline", "err", err)
		return nil
	}
	r := hub.NewRunner(hub.NewNode(st, postgres.Dial, cfg, time.Now))
	r.Log = log
	return r
}
