package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/rules"
	"github.com/docket-dev/docket/internal/store"
)

func runTopicAdd(ctx context.Context, e *env, args []string) error {
	var o struct {
		db, slug, title, rule, summary string
		public, noWait, noProgress     bool
	}
	fs := newFlags(e, "topic add", "--title TITLE --rule RULE [flags]",
		"Adds a topic. Its rule says which items belong to it, e.g.\n"+
			`  Aleppo OR Idlib OR (Syria AND (ceasefire OR evacuation OR "peace talks")) NOT "Aleppo pepper"`+"\n"+
			"Items already stored are matched against the rule at once (see topic set-rule for --no-wait).")
	fs.dbFlag(&o.db)
	fs.StringVar(&o.slug, "slug", "", "the topic's address, e.g. aleppo-evacuation (default: made from the title)")
	fs.StringVar(&o.title, "title", "", "the topic's title")
	fs.StringVar(&o.rule, "rule", "", "the rule that matches items to the topic")
	fs.StringVar(&o.summary, "summary", "", "one or two sentences saying what the topic covers")
	fs.BoolVar(&o.public, "public", false, "show the topic on the public pages (default: private to the office)")
	rematchFlags(fs, &o.noWait, &o.noProgress)
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
	if err := checkRule(o.rule, "--rule", "--rule 'Aleppo OR Idlib'"); err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	rm, err := jobs.NewRematcher(db, jobs.RematcherConfig{})
	if err != nil {
		return err
	}
	var gen int64
	started, err := db.AddTopic(ctx, t, func(tx *store.Tx, topicID, g int64) error {
		gen = g
		return rm.EnqueueRematchTx(ctx, tx, topicID, g)
	}, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added topic %s (%s)\n", t.Slug, t.Visibility)
	if !started {
		return nil
	}
	return rematchNow(ctx, e, db, rm, t, gen, o.noWait, o.noProgress)
}

// rematchFlags adds the flags of the commands that re-match stored items.
func rematchFlags(fs *flags, noWait, noProgress *bool) {
	fs.BoolVar(noWait, "no-wait", false, "do not re-match stored items here: leave the job to a running docket serve")
	fs.BoolVar(noProgress, "no-progress", false, "no progress bar, even on a terminal")
}

// rematchNow works the re-match job of a topic's generation in this process, with a progress
// bar when stderr is a terminal, and prints what it did; with noWait it only says the job is
// queued. A running docket serve may take the job instead: the progress shown is the topic's,
// whoever does the work.
func rematchNow(ctx context.Context, e *env, db *store.DB, rm *jobs.Rematcher, t *docket.Topic, gen int64, noWait, noProgress bool) error {
	if noWait {
		fmt.Fprintf(e.stdout, "topic %s: stored items will be matched again in the background by a running docket serve\n", t.Slug)
		return nil
	}
	if err := rm.Start(ctx); err != nil {
		return fmt.Errorf("start re-matching: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		rm.Stop(sctx)
	}()
	var bar *progressbar.ProgressBar
	showBar := !noProgress && isTerminal(e.stderr)
	start := time.Now()
	st, err := rm.Wait(ctx, db, t.ID, gen, 100*time.Millisecond, func(st store.RematchStatus) {
		if !showBar {
			return
		}
		total := max(st.Total, st.Done, 1)
		if bar == nil {
			bar = progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(e.stderr),
				progressbar.OptionSetDescription("matching "+t.Slug),
				progressbar.OptionShowCount(),
				progressbar.OptionSetElapsedTime(true),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionClearOnFinish(),
				progressbar.OptionThrottle(100*time.Millisecond),
			)
		}
		bar.ChangeMax64(total)
		bar.Set64(st.Done)
	})
	if bar != nil {
		bar.Finish()
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(e.stdout, "topic %s: interrupted after %d of %d items; a running docket serve, or this command run again, goes on from there\n",
			t.Slug, st.Done, st.Total)
		return nil
	}
	if err != nil {
		return fmt.Errorf("topic %s: %w", t.Slug, err)
	}
	if st.Gen != gen {
		fmt.Fprintf(e.stdout, "topic %s: the rule was changed again meanwhile; the newer rule is being matched in the background\n", t.Slug)
		return nil
	}
	fmt.Fprintf(e.stdout, "topic %s: %d stored items matched in %s: %d %s added, %d removed\n",
		t.Slug, st.Done, time.Since(start).Round(time.Millisecond), st.Added, plural(st.Added, "suggestion"), st.Removed)
	return nil
}

func plural(n int64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// checkRule refuses a rule that does not parse, saying where and why. given is the rule as
// the command line took it, --rule or the argument RULE, and how it would be written there.
func checkRule(rule, given, example string) error {
	if strings.TrimSpace(rule) == "" {
		return docket.FieldError("rule", "%s is empty: say which items belong to the topic, e.g. %s", given, example)
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
	var o struct {
		db                 string
		noWait, noProgress bool
	}
	fs := newFlags(e, "topic set-rule", "[flags] SLUG RULE",
		"Changes a topic's rule and matches every stored item against it again: new matches become\n"+
			"suggestions, suggestions the rule no longer matches are removed, and what people confirmed,\n"+
			"rejected or added by hand stays. The re-match runs here, with progress on a terminal, unless\n"+
			"--no-wait leaves it to a running docket serve.")
	fs.dbFlag(&o.db)
	rematchFlags(fs, &o.noWait, &o.noProgress)
	if err := fs.parse(args); err != nil {
		return err
	}
	a, err := fs.args(2, 2)
	if err != nil {
		return err
	}
	if err := checkRule(a[1], "the argument RULE", "docket topic set-rule "+a[0]+" 'Aleppo OR Idlib'"); err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := db.TopicBySlug(ctx, a[0])
	if err != nil {
		return err
	}
	rm, err := jobs.NewRematcher(db, jobs.RematcherConfig{})
	if err != nil {
		return err
	}
	t.Rule = a[1]
	var gen int64
	started, err := db.SaveTopic(ctx, t, func(tx *store.Tx, topicID, g int64) error {
		gen = g
		return rm.EnqueueRematchTx(ctx, tx, topicID, g)
	}, nil)
	if err != nil {
		return err
	}
	switch {
	case started:
		fmt.Fprintf(e.stdout, "topic %s: rule set\n", t.Slug)
		return rematchNow(ctx, e, db, rm, t, gen, o.noWait, o.noProgress)
	case t.Archived:
		fmt.Fprintf(e.stdout, "topic %s: rule set; the topic is archived, so its items are matched again when it comes back\n", t.Slug)
	default:
		fmt.Fprintf(e.stdout, "topic %s: the rule is unchanged\n", t.Slug)
	}
	return nil
}
