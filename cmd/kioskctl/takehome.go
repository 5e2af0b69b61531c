package main

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"intakekiosk/assets"
	"intakekiosk/i18n"
	"intakekiosk/sqlite"
	"intakekiosk/takehome"
)

func takeHomeCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "takehome", Short: "List or check the take-home sheet (what to expect, coping steps, crisis numbers, the next check-in)"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the take-home sheet the kiosk prints (built-in and the clinic's folder): its version in each language",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, langs, errs := g.takeHomes()
			for _, err := range errs {
				fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", err)
			}
			for _, l := range langs {
				if s, ok := set.Sheet(l); ok && s.Language == l {
					fmt.Fprintf(cmd.OutOrStdout(), "version %d\t%s\t%s\n", s.Version, s.Language, s.File)
				}
			}
			return nil
		},
	}
	validate := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check take-home files with the kiosk's own loader: each file, then the files together (a file in every language the kiosk offers, one a version and language)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			_, langs, _ := g.takeHomes()
			return validateFiles(cmd, files, "takehome.%d-%s", func(fsys fs.FS, file, name string) (string, error) {
				s, err := takehome.ReadFile(fsys, file, name)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("version %d, %s", s.Version, s.Language), nil
			}, func(given fs.FS) []error {
				// a file's own problem was said already: it is not given
				_, errs := takehome.Load(langs, takehome.Source{Name: "given", FS: given})
				return errs
			})
		},
	}
	c.AddCommand(list, validate)
	return c
}

// takeHomes loads the take-home sheet as the kiosk does: built-in, then
// the clinic's folder beside the database, in the languages the kiosk
// offers.
func (g *globals) takeHomes() (*takehome.Set, []string, []error) {
	msgs, err := i18n.Load(assets.Messages())
	if err != nil {
		return nil, nil, []error{err}
	}
	sources := []takehome.Source{{Name: "built-in", FS: assets.TakeHome()}}
	if dir, ok := g.clinicFolder(sqlite.TakeHomeDir); ok {
		sources = append(sources, takehome.Source{Name: dir, FS: os.DirFS(dir)})
	}
	set, errs := takehome.Load(msgs.Languages(), sources...)
	return set, msgs.Languages(), errs
}

// takeHomeSheet reads session id back as the staff member acting (the
// view on record) and draws its take-home sheet in memory, in the
// patient's language.
func (g *globals) takeHomeSheet(cmd *cobra.Command, st *sqlite.Store, pp *passphrases, id string) (*summary, error) {
	sheets, _, errs := g.takeHomes()
	for _, err := range errs {
		fmt.Fprintln(cmd.ErrOrStderr(), "take-home file rejected:", err)
	}
	staff, d, set, err := g.openFinished(cmd, st, pp, id)
	if err != nil {
		return nil, err
	}
	pdf, err := staff.TakeHome(cmd.Context(), d, sheets, set.ClinicName, set.Location)
	if err != nil {
		return nil, err
	}
	s := &summary{id: id, staff: staff}
	s.pdf.Write(pdf)
	return s, nil
}
