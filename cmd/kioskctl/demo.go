package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk/demo"
	"intakekiosk/fhir"
	"intakekiosk/sqlite"
)

func demoCmd(g *globals, pp *passphrases) *cobra.Command {
	var n int
	var seed uint64
	c := &cobra.Command{
		Use:   "demo --patients N",
		Short: "Fill the database with synthetic patients (admins; audited); prints the check-in codes of the returning ones",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			if n < 1 || n > 1_000_000 {
				return usageError{errors.New("--patients N: from 1 to 1,000,000")}
			}
			ctx := cmd.Context()
			staff, err := g.admin(cmd, st, pp, "fills the database with synthetic patients")
			if err != nil {
				return err
			}
			cat, errs := g.catalog()
			for _, e := range errs {
				fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", e)
			}
			if seed == 0 {
				seed = uint64(time.Now().UnixNano())
			}
			gen := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
			// every synthetic patient signs the clinic's consent form
			if set, _, _ := g.consents(); set != nil {
				gen.Consent, _ = set.Main("en")
			}
			codes, err := staff.Demo(ctx, gen, n)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%d synthetic screenings stored.\n", n)
			// a demo database can be exported to FHIR at once
			if base, err := staff.Setting(ctx, fhir.BaseSetting); err != nil {
				return err
			} else if base == "" {
				if err := staff.SetSetting(ctx, fhir.BaseSetting, demo.FHIRBase); err != nil {
					return err
				}
				fmt.Fprintf(out, "fhir_base set to the demo's %s (a clinic sets its own: kioskctl settings set fhir_base URL).\n", demo.FHIRBase)
			}
			for _, c := range codes {
				fmt.Fprintf(out, "check-in code of a returning patient: %s, born %s\n", sqlite.GroupCode(c.Code), c.Birth)
			}
			return nil
		}),
	}
	c.Flags().IntVar(&n, "patients", 0, "how many synthetic screenings to store")
	c.Flags().Uint64Var(&seed, "seed", 0, "the random seed of the synthetic answers (0: from the clock)")
	return c
}
