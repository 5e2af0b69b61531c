package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"intakekiosk/bundle"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

// siteKeyPrefix opens a site key file.
const siteKeyPrefix = "intakekiosk-site-key "

func siteKeyCmd(g *globals, pp *passphrases) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "site-key --out FILE",
		Short: "Write this site's bundle-signing key, to register once at the main clinic (kioskctl sites add NAME FILE there; unlocks)",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE is required")}
			}
			staff, err := g.signIn(cmd.Context(), st, pp, nil)
			if err != nil {
				return err
			}
			pub, err := staff.SiteKey(cmd.Context())
			if err != nil {
				return err
			}
			return os.WriteFile(out, []byte(siteKeyPrefix+base64.StdEncoding.EncodeToString(pub)+"\n"), 0o644)
		}),
	}
	c.Flags().StringVar(&out, "out", "", "file to write the public signing key to")
	return c
}

// readSiteKey reads a site key file.
func readSiteKey(path string) (ed25519.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(data))
	if !strings.HasPrefix(s, siteKeyPrefix) {
		return nil, fmt.Errorf("%s is not a site key file (kioskctl site-key --out FILE writes one)", path)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, siteKeyPrefix))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%s: the key is damaged", path)
	}
	return key, nil
}

func sitesCmd(g *globals, pp *passphrases) *cobra.Command {
	c := &cobra.Command{Use: "sites", Short: "Satellite sites whose transfer bundles this clinic accepts"}
	var asJSON bool
	add := &cobra.Command{
		Use:   "add NAME KEYFILE",
		Short: "Register a satellite's signing key (admins; audited)",
		Args:  cobra.ExactArgs(2),
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, args []string) error {
			pub, err := readSiteKey(args[1])
			if err != nil {
				return err
			}
			staff, err := g.admin(cmd, st, pp, "registers sites")
			if err != nil {
				return err
			}
			return staff.AddSite(cmd.Context(), args[0], pub)
		}),
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the registered sites",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, _ []string) error {
			sites, err := st.Sites(cmd.Context())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				// one JSON object a line; []byte encodes as base64
				enc := json.NewEncoder(out)
				for _, s := range sites {
					err := enc.Encode(struct {
						Name  string    `json:"name"`
						Key   []byte    `json:"key"`
						Added time.Time `json:"added"`
					}{s.Name, s.PublicKey, s.Added.UTC().Truncate(time.Second)})
					if err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tKEY\tADDED")
			for _, s := range sites {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, base64.StdEncoding.EncodeToString(s.PublicKey)[:12]+"…", s.Added.Local().Format("2006-01-02"))
			}
			return tw.Flush()
		}),
	}
	list.Flags().BoolVar(&asJSON, "json", false, "one JSON object a line")
	c.AddCommand(add, list)
	return c
}

func importCmd(g *globals, pp *passphrases) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "Add transfer bundles from satellite sites, or FHIR R4 QuestionnaireResponses (admins; checked whole first; importing twice adds nothing; audited)",
		Args:  cobra.MinimumNArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, st *sqlite.Store, files []string) error {
			// what comes in is on record under the administrator signed in
			staff, err := g.admin(cmd, st, pp, "imports")
			if err != nil {
				return err
			}
			by := staff.Who().Name
			var cat *screening.Catalog // loaded at the first FHIR file
			for _, f := range files {
				isB, err := isBundle(f)
				if err != nil {
					return err
				}
				if !isB {
					if cat == nil {
						var errs []error
						cat, errs = g.catalog()
						for _, e := range errs {
							fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", e)
						}
					}
					added, existing, err := importFHIR(cmd.Context(), f, st, cat, by)
					if err != nil {
						return fmt.Errorf("%s: %w; nothing was imported from it", f, err)
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%s: FHIR, %d sessions added, %d already here\n", f, added, existing)
					continue
				}
				res, err := bundle.Import(cmd.Context(), func() (io.ReadCloser, error) { return os.Open(f) }, st, by, time.Now())
				if err != nil {
					return fmt.Errorf("%s: %w; nothing was imported from it", f, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: from %s, %s\n", f, res.Site, res.Summary())
			}
			return nil
		}),
	}
}
