package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"intakekiosk/assets"
	"intakekiosk/consent"
	"intakekiosk/i18n"
	"intakekiosk/sqlite"
)

func consentsCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "consents", Short: "List or check the consent forms (42 CFR Part 2)"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the consent forms the kiosk shows (built-in and the clinic's folder): each form's version in each language and its hash",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, langs, errs := g.consents()
			for _, err := range errs {
				fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "FORM\tVERSION\tLANGUAGE\tSHA-256\tFILE")
			for _, id := range set.IDs() {
				for _, l := range langs {
					if f, ok := set.Form(id, l); ok {
						fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", f.ID, f.Version, f.Language, f.Hash(), f.File)
					}
				}
			}
			return tw.Flush()
		},
	}
	validate := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check consent files with the kiosk's own loader: each file, then each version as a whole (a file in every language, one file a version and language, the same recipients)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			_, langs, _ := g.consents()
			return validateFiles(cmd, files, "%d-%s", func(fsys fs.FS, file, name string) (string, error) {
				form, err := consent.ReadFile(fsys, file, name)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("form %s version %d, %s", form.ID, form.Version, form.Language), nil
			}, func(given fs.FS) []error {
				var whole []error
				_, errs := consent.Load(langs, consent.Source{Name: "given", FS: given})
				for _, err := range errs {
					var fe *consent.FileError
					if errors.As(err, &fe) && fe.Field != "language" && fe.Field != "version" && fe.Field != "recipients" {
						continue // a file's own problem, said already
					}
					whole = append(whole, err)
				}
				return whole
			})
		},
	}
	c.AddCommand(list, validate)
	return c
}

// consents loads the consent forms as the kiosk does: built-in, then the
// clinic's folder beside the database, in the languages the kiosk offers.
func (g *globals) consents() (*consent.Set, []string, []error) {
	msgs, err := i18n.Load(assets.Messages())
	if err != nil {
		return nil, nil, []error{err}
	}
	sources := []consent.Source{{Name: "built-in", FS: assets.Consents()}}
	if dir, ok := g.clinicFolder(sqlite.ConsentDir); ok {
		sources = append(sources, consent.Source{Name: dir, FS: os.DirFS(dir)})
	}
	set, errs := consent.Load(msgs.Languages(), sources...)
	return set, msgs.Languages(), errs
}

// validateFiles checks files with the kiosk's own loader: each with read
// (what a good one is, in words), then the good ones together with whole
// (a folder of them, as the kiosk loads one: what no one file shows, a
// language missing, a version given twice); every problem on standard
// error, and an error counting them. rename names a file whose name
// another took already (a format of its count and its name).
func validateFiles(cmd *cobra.Command, files []string, rename string, read func(fsys fs.FS, file, name string) (string, error), whole func(fs.FS) []error) error {
	bad := 0
	given := filesFS{}
	for _, f := range files {
		what, err := read(os.DirFS(filepath.Dir(f)), filepath.Base(f), f)
		if err != nil {
			bad++
			fmt.Fprintln(cmd.ErrOrStderr(), err)
			continue
		}
		name := filepath.Base(f)
		if _, dup := given[name]; dup {
			name = fmt.Sprintf(rename, len(given), name)
		}
		given[name] = f
		fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (%s)\n", f, what)
	}
	for _, err := range whole(given) {
		bad++
		fmt.Fprintln(cmd.ErrOrStderr(), strings.TrimPrefix(err.Error(), "given/"))
	}
	if bad > 0 {
		return fmt.Errorf("%d problems in %d files", bad, len(files))
	}
	return nil
}

// clinicFolder is the clinic's own folder beside the database (dirOf
// names it from the database's path), when there is one.
func (g *globals) clinicFolder(dirOf func(dbPath string) string) (string, bool) {
	path, err := g.path()
	if err != nil || !isDir(dirOf(path)) {
		return "", false
	}
	return dirOf(path), true
}

// filesFS is a folder of the files named on the command line, by their
// base names.
type filesFS map[string]string

func (f filesFS) Open(name string) (fs.File, error) {
	p, ok := f[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return os.Open(p)
}

// ReadDir lists the files given.
func (f filesFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	var out []fs.DirEntry
	for base, p := range f {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		out = append(out, fs.FileInfoToDirEntry(renamed{fi, base}))
	}
	return out, nil
}

// Stat is the file's.
func (f filesFS) Stat(name string) (fs.FileInfo, error) {
	p, ok := f[name]
	if !ok {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return os.Stat(p)
}

// renamed is a file's info under the name it is listed by.
type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }
