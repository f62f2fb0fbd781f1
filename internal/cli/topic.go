package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/rules"
	"github.com/docket-dev/docket/internal/store"
)

func runTopicAdd(ctx context.Context, e *env, args []string) error {
	var o struct {
		db, slug, title, rule, summary string
		public                         bool
	}
	fs := newFlags(e, "topic add", "--title TITLE --rule RULE [flags]",
		"Adds a topic. Its rule says which items belong to it, e.g.\n"+
			`  Aleppo OR Idlib OR (Syria AND (ceasefire OR evacuation OR "peace talks")) NOT "Aleppo pepper"`)
	fs.dbFlag(&o.db)
	fs.StringVar(&o.slug, "slug", "", "the topic's address, e.g. aleppo-evacuation (default: made from the title)")
	fs.StringVar(&o.title, "title", "", "the topic's title")
	fs.StringVar(&o.rule, "rule", "", "the rule that matches items to the topic")
	fs.StringVar(&o.summary, "summary", "", "one or two sentences saying what the topic covers")
	fs.BoolVar(&o.public, "public", false, "show the topic on the public pages (default: private to the office)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	if o.slug == "" {
		o.slug = docket.Slugify(o.title)
	}
	t := &docket.Topic{Slug: o.slug, Title: strings.TrimSpace(o.title), Summary: o.summary, Rule: o.rule, Visibility: docket.Private}
	if o.public {
		t.Visibility = docket.Public
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if err := checkRule(o.rule); err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateTopic(ctx, t); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added topic %s (%s)\n", t.Slug, t.Visibility)
	return nil
}

// checkRule refuses a rule that does not parse, saying where and why.
func checkRule(rule string) error {
	if strings.TrimSpace(rule) == "" {
		return docket.FieldError("rule", "--rule is empty: say which items belong to the topic, e.g. --rule 'Aleppo OR Idlib'")
	}
	_, err := rules.Parse(rule)
	return err
}

func runTopicList(ctx context.Context, e *env, args []string) error {
	var o struct {
		db       string
		asJSON   bool
		archived bool
	}
	fs := newFlags(e, "topic list", "[flags]", "Lists topics with their rules and item counts.")
	fs.dbFlag(&o.db)
	fs.BoolVar(&o.asJSON, "json", false, "print JSON")
	fs.BoolVar(&o.archived, "archived", false, "include archived topics")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	topics, err := db.ListTopics(ctx, store.TopicFilter{IncludeArchived: o.archived})
	if err != nil {
		return err
	}
	if o.asJSON {
		if topics == nil {
			topics = []store.TopicSummary{}
		}
		return printJSON(e.stdout, topics)
	}
	if len(topics) == 0 {
		fmt.Fprintln(e.stdout, "no topics: add one with docket topic add --title TITLE --rule RULE")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tVISIBILITY\tITEMS\tTITLE\tRULE")
	for _, t := range topics {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", t.Slug, t.Visibility, t.ItemCount, t.Title, t.Rule)
	}
	return tw.Flush()
}

func runTopicSetRule(ctx context.Context, e *env, args []string) error {
	var dbURL string
	fs := newFlags(e, "topic set-rule", "[flags] SLUG RULE", "Changes a topic's rule; stored items are matched again.")
	fs.dbFlag(&dbURL)
	if err := fs.parse(args); err != nil {
		return err
	}
	a, err := fs.args(2, 2)
	if err != nil {
		return err
	}
	if err := checkRule(a[1]); err != nil {
		return err
	}
	db, err := openDB(ctx, e, dbURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := db.TopicBySlug(ctx, a[0])
	if err != nil {
		return err
	}
	t.Rule = a[1]
	if err := db.UpdateTopic(ctx, t); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "topic %s: rule set\n", t.Slug)
	return nil
}
