package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
)

func runSourceImport(ctx context.Context, e *env, args []string) error {
	var o struct {
		db, kind    string
		skipInvalid bool
	}
	fs := newFlags(e, "source import", "[flags] FILE.opml",
		"Adds the feeds of an OPML subscription list (use - for standard input). A feed already\n"+
			"present is skipped. A folder named like a kind (news, un, parliament, mp, ngo, other)\n"+
			"gives its feeds that kind; the others get --kind. All feeds are added in one transaction:\n"+
			"if one is invalid, none is added, unless --skip-invalid.")
	fs.dbFlag(&o.db)
	fs.StringVar(&o.kind, "kind", docket.KindNews, "the kind of feeds whose folder names no kind")
	fs.BoolVar(&o.skipInvalid, "skip-invalid", false, "add the valid feeds and list the invalid ones")
	if err := fs.parse(args); err != nil {
		return err
	}
	a, err := fs.args(1, 1)
	if err != nil {
		return err
	}
	if !docket.ValidSourceKind(o.kind) {
		return docket.FieldError("kind", "--kind %q must be one of %s", o.kind, strings.Join(docket.SourceKinds, ", "))
	}
	in := e.stdin
	if a[0] != "-" {
		f, err := os.Open(a[0])
		if err != nil {
			return docket.Errorf(docket.EINVALID, "%v", err)
		}
		defer f.Close()
		in = f
	}
	list, err := ingest.ParseOPML(in)
	if err != nil {
		return err
	}
	var srcs []docket.Source
	var invalid []string
	for _, x := range list {
		kind := o.kind
		for _, c := range x.Categories {
			if k := strings.ToLower(strings.TrimSpace(c)); docket.ValidSourceKind(k) {
				kind = k
			}
		}
		s := docket.Source{URL: strings.TrimSpace(x.XMLURL), Title: x.Title, SiteURL: x.HTMLURL, Kind: kind}
		if s.Title == s.URL {
			// A reader writes the address as the text of a feed it has no name for (so does
			// export): that is no title, and the feed's own is taken at its first fetch.
			s.Title = ""
		}
		if err := store.ValidateSource(&s); err != nil {
			invalid = append(invalid, fmt.Sprintf("%s: %s", s.URL, docket.ErrorMessage(err)))
			continue
		}
		srcs = append(srcs, s)
	}
	if len(invalid) > 0 && !o.skipInvalid {
		return docket.Errorf(docket.EINVALID, "%d of %d feeds are invalid, nothing was added (use --skip-invalid to add the rest): %s",
			len(invalid), len(list), strings.Join(invalid, "; "))
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	existing, err := db.ListSources(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, s := range existing {
		have[s.URL] = true
	}
	added, skipped := 0, 0
	err = db.Update(ctx, func(tx *store.Tx) error {
		for i := range srcs {
			if have[srcs[i].URL] {
				skipped++
				continue
			}
			have[srcs[i].URL] = true
			if err := tx.CreateSource(ctx, &srcs[i]); err != nil {
				return err
			}
			added++
		}
		return tx.Audit(ctx, nil, "source.import", "opml", fmt.Sprintf("%d added, %d already present", added, skipped))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d sources added, %d already present", added, skipped)
	if len(invalid) > 0 {
		fmt.Fprintf(e.stdout, ", %d invalid skipped:\n  %s", len(invalid), strings.Join(invalid, "\n  "))
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func runSourceExport(ctx context.Context, e *env, args []string) error {
	var dbURL string
	fs := newFlags(e, "source export", "[flags]", "Writes every source as an OPML 2.0 subscription list to standard output, in folders by kind.")
	fs.dbFlag(&dbURL)
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	db, err := openDB(ctx, e, dbURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	srcs, err := db.ListSources(ctx)
	if err != nil {
		return err
	}
	out := make([]ingest.OPMLSource, 0, len(srcs))
	for _, s := range srcs {
		if s.Kind == docket.KindParliament && strings.HasPrefix(s.URL, "parliament:") {
			continue // not a feed another reader could follow
		}
		// An untitled source goes out without a title (WriteOPML writes the address as its
		// text, which readers need), so importing the list again leaves it untitled.
		out = append(out, ingest.OPMLSource{Title: s.Title, XMLURL: s.URL, HTMLURL: s.SiteURL, Categories: []string{s.Kind}})
	}
	return ingest.WriteOPML(e.stdout, "Docket sources", out)
}
