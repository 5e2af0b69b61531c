package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"intakekiosk/settings"
)

// Setting returns a setting's value, or its default when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	def, err := settings.Lookup(key)
	if err != nil {
		return "", err
	}
	var v string
	err = s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def.Default, nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, classify(err))
	}
	return v, nil
}

// SetSetting checks and stores a setting, and records the change in the
// audit log as made by by.
func (s *Store) SetSetting(ctx context.Context, key, value, by string, at time.Time) error {
	def, err := settings.Lookup(key)
	if err != nil {
		return err
	}
	if err := def.Check(value); err != nil {
		return err
	}
	err = s.auditTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: at, Actor: by, Action: ActSetting, Target: key, Detail: value})
	})
	if err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}

// Settings reads every setting.
func (s *Store) Settings(ctx context.Context) (settings.Settings, error) {
	v := map[string]string{}
	for _, d := range settings.Defs() {
		val, err := s.Setting(ctx, d.Key)
		if err != nil {
			return settings.Settings{}, err
		}
		v[d.Key] = val
	}
	return settings.From(v), nil
}
