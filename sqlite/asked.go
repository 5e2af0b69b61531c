package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"intakekiosk"
	"intakekiosk/exchange"
	"intakekiosk/screening"
)

// Asked reads the day each instrument was last asked of a returning
// patient (by instrument id; empty for none): what a check-in needs to
// ask what its schedule has due. It is clear (migration 0014), so the
// kiosk reads it without a key.
func (s *Store) Asked(ctx context.Context, patientID string) (map[string]string, error) {
	m, err := askedOf(ctx, s.read, patientID)
	if err != nil {
		return nil, fmt.Errorf("read asked: %w", err)
	}
	return m, nil
}

// MarkAsked puts on record that the instruments were asked of the patient
// on day (YYYY-MM-DD); a later day already here stays.
func (s *Store) MarkAsked(ctx context.Context, patientID, day string, instruments []string) error {
	if err := checkAsked(day, instruments); err != nil {
		return fmt.Errorf("mark asked: %w", err)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM patients WHERE id = ?", patientID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return ErrNoPatient
		} else if err != nil {
			return err
		}
		return markAsked(ctx, tx, patientID, dayOf(day, instruments))
	})
	if err != nil {
		return fmt.Errorf("mark asked: %w", err)
	}
	return nil
}

// CompleteCheckin submits a check-in as Complete does and, in the same
// commit, puts on record that its patient was asked its instruments on
// day: the next check-in asks what is due after it.
func (s *Store) CompleteCheckin(ctx context.Context, id string, at time.Time, day string, instruments []string) error {
	if err := checkAsked(day, instruments); err != nil {
		return fmt.Errorf("complete check-in: %w", err)
	}
	err := s.kioskTx(ctx, func(tx *sql.Tx) error {
		var kind intakekiosk.SessionKind
		var patient sql.NullString
		err := tx.QueryRowContext(ctx, "SELECT kind, patient_id FROM sessions WHERE id = ?", id).Scan(&kind, &patient)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNoSession
		case err != nil:
			return err
		case kind != intakekiosk.Checkin || !patient.Valid:
			return errors.New("not a returning patient's check-in")
		}
		if err := updateSession(ctx, tx, id, "UPDATE sessions SET status = ?, completed = ?, ended = ? WHERE id = ?",
			intakekiosk.New, ts(at), ts(at), id); err != nil {
			return err
		}
		return markAsked(ctx, tx, patient.String, dayOf(day, instruments))
	}, Entry{At: at, Actor: ActorKiosk, Action: ActSessionEnd, Target: id, Detail: "submitted"}, []string{id})
	if err != nil {
		return fmt.Errorf("complete check-in: %w", err)
	}
	s.forget(id) // the kiosk can no longer read or add to it
	return nil
}

// dayOf is each instrument asked on day.
func dayOf(day string, instruments []string) map[string]string {
	m := make(map[string]string, len(instruments))
	for _, id := range instruments {
		m[id] = day
	}
	return m
}

// markAsked keeps, for each instrument, the later of the day here and
// the day given. (No upsert: the change log's triggers insert or replace,
// which an upsert's conflict clause would override.)
func markAsked(ctx context.Context, tx *sql.Tx, patientID string, asked map[string]string) error {
	for _, id := range slices.Sorted(maps.Keys(asked)) {
		var here string
		err := tx.QueryRowContext(ctx, "SELECT day FROM patient_asked WHERE patient_id = ? AND instrument = ?", patientID, id).Scan(&here)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, "INSERT INTO patient_asked (patient_id, instrument, day) VALUES (?, ?, ?)", patientID, id, asked[id])
		case err == nil && asked[id] > here:
			_, err = tx.ExecContext(ctx, "UPDATE patient_asked SET day = ? WHERE patient_id = ? AND instrument = ?", asked[id], patientID, id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkAsked checks a day and the instruments asked on it.
func checkAsked(day string, instruments []string) error {
	if !screening.IsDay(day) {
		return intakekiosk.ErrBadAsked
	}
	return intakekiosk.SealedPatient{Asked: dayOf(day, instruments)}.CheckAsked()
}

// askedOf reads a patient's asked days (nil when none).
func askedOf(ctx context.Context, q queryer, patientID string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT instrument, day FROM patient_asked WHERE patient_id = ?", patientID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out map[string]string
	for rows.Next() {
		var id, day string
		if err := rows.Scan(&id, &day); err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string]string{}
		}
		out[id] = day
	}
	return out, classify(rows.Err())
}

// mergeAsked takes an incoming patient's later days (exchange.MergeAsked)
// into the database.
func mergeAsked(ctx context.Context, tx *sql.Tx, patientID string, there map[string]string) (bool, error) {
	here, err := askedOf(ctx, tx, patientID)
	if err != nil {
		return false, err
	}
	later := exchange.MergeAsked(here, there)
	if len(later) == 0 {
		return false, nil
	}
	return true, markAsked(ctx, tx, patientID, later)
}
