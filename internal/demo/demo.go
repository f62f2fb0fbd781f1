// Package demo fills an empty database with a topic a researcher would follow ("Syria"), the
// real feeds they would follow for it, an embedded sample of items written for the demo, and
// one published statement, so every page has something to show on a machine with no network.
package demo

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
)

//go:embed items.json
var itemsJSON []byte

//go:embed statement.txt
var statementText string

// Rule is the demo topic's rule.
const Rule = `Syria OR Syrian OR Aleppo OR Idlib OR Damascus OR (UN AND ("Security Council" OR ceasefire)) NOT "Aleppo pepper"`

// Sources are the real feeds the demo topic follows; on a closed network their fetches fail
// and the sources page shows why.
var Sources = []docket.Source{
	{URL: "https://news.un.org/feed/subscribe/en/news/region/middle-east/feed/rss.xml", Title: "UN News: Middle East", SiteURL: "https://news.un.org/en/news/region/middle-east", Kind: docket.KindUN},
	{URL: "https://reliefweb.int/updates/rss.xml?advanced-search=%28PC226%29", Title: "ReliefWeb: Syrian Arab Republic", SiteURL: "https://reliefweb.int/country/syr", Kind: docket.KindUN},
	{URL: "https://www.unocha.org/rss.xml", Title: "OCHA: news and updates", SiteURL: "https://www.unocha.org/syrian-arab-republic", Kind: docket.KindUN},
	{URL: "https://feeds.bbci.co.uk/news/world/middle_east/rss.xml", Title: "BBC News: Middle East", SiteURL: "https://www.bbc.co.uk/news/world/middle_east", Kind: docket.KindNews},
}

var sourceKeys = map[string]int{"un": 0, "reliefweb": 1, "ocha": 2, "bbc": 3}

// Start is the date of the first demo item: the last weeks of the siege of Aleppo.
var Start = time.Date(2016, 12, 12, 0, 0, 0, 0, time.UTC)

type demoItem struct {
	Source  string `json:"source"`
	Days    int    `json:"days"`
	Hour    int    `json:"hour"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Cluster string `json:"cluster"`
}

// Seed loads the demo into db when it holds no topic yet, and reports whether it did. All of
// it is written in one transaction. The items are matched to the topic by its rule, as
// ingest would match them.
func Seed(ctx context.Context, db *store.DB) (bool, error) {
	existing, err := db.ListTopics(ctx, store.TopicFilter{IncludeArchived: true})
	if err != nil {
		return false, err
	}
	if len(existing) > 0 {
		return false, nil
	}
	var items []demoItem
	if err := json.Unmarshal(itemsJSON, &items); err != nil {
		return false, fmt.Errorf("demo items: %w", err)
	}
	topic := &docket.Topic{
		Slug: "syria", Title: "Syria", Visibility: docket.Public, Rule: Rule,
		Summary: "The war in Syria and its humanitarian consequences: Aleppo, Idlib, the ceasefires and the UN-led peace process.",
	}
	member := &docket.Member{Name: "Sarah Whitfield", Constituency: "Northbridge", Party: "Independent"}
	var statementID int64
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateTopic(ctx, topic); err != nil {
			return err
		}
		if err := tx.CreateMember(ctx, member); err != nil {
			return err
		}
		srcs := make([]docket.Source, len(Sources))
		copy(srcs, Sources)
		for i := range srcs {
			if err := tx.CreateSource(ctx, &srcs[i]); err != nil {
				return err
			}
		}
		bySource := map[int][]docket.Item{}
		clusterOf := map[string]string{}
		for _, d := range items {
			k, ok := sourceKeys[d.Source]
			if !ok {
				return fmt.Errorf("demo item %q: unknown source %q", d.Title, d.Source)
			}
			guid := "demo:" + slug(d.Title)
			it := docket.Item{
				GUID: guid, URL: srcs[k].SiteURL + "#" + slug(d.Title), Title: d.Title,
				Summary: "<p>" + htmlEscape(d.Summary) + "</p>", Excerpt: d.Summary, Text: d.Title + "\n\n" + d.Summary,
				Author: srcs[k].Title, PublishedAt: Start.AddDate(0, 0, d.Days).Add(time.Duration(d.Hour) * time.Hour),
			}
			it.ContentHash = hash(it.Title, it.Summary, it.PublishedAt.String())
			clusterOf[guid] = d.Cluster
			bySource[k] = append(bySource[k], it)
		}
		matcher, err := ingest.NewRuleMatcher([]docket.Topic{*topic})
		if err != nil {
			return err
		}
		clusterIDs := map[string]int64{}
		for k, its := range bySource {
			if _, err := tx.SaveItems(ctx, srcs[k].ID, its); err != nil {
				return err
			}
			for i := range its {
				it := &its[i]
				if err := tx.LinkRuleMatches(ctx, it.ID, it.PublishedAt, matcher.Match(it)); err != nil {
					return err
				}
				if c := clusterOf[it.GUID]; c != "" {
					if _, ok := clusterIDs[c]; !ok {
						clusterIDs[c] = it.ID
					}
				}
			}
		}
		for _, its := range bySource {
			for _, it := range its {
				if c := clusterOf[it.GUID]; c != "" {
					if err := tx.SetCluster(ctx, it.ID, clusterIDs[c]); err != nil {
						return err
					}
				}
			}
		}
		published := Start.AddDate(0, 0, 14).Add(11 * time.Hour)
		st := &docket.Statement{
			MemberID: &member.ID, Title: "Aleppo and the search for peace in Syria", Body: strings.TrimSpace(statementText),
			Kind: docket.KindConstituentResponse, Status: docket.StatusPublished, Origin: docket.OriginDrafted,
			PublishedAt: &published,
		}
		if err := tx.CreateStatement(ctx, st, []int64{topic.ID}, nil, "demo data"); err != nil {
			return err
		}
		statementID = st.ID
		return nil
	})
	if err != nil {
		return false, err
	}
	return true, cite(ctx, db, statementID)
}

// citeAbove is the least score of a suggestion the demo confirms as a citation: the
// sentences written about particular events clear it, the courtesies do not.
const citeAbove = 9.0

// cite suggests evidence for the demo statement, as the office would, and confirms the best
// item of each sentence that clearly rests on one, so the public page shows citations.
func cite(ctx context.Context, db *store.DB, statementID int64) error {
	r := &evidence.Ranker{DB: db}
	if err := r.Refresh(ctx, statementID); err != nil {
		return err
	}
	s, err := db.StatementByID(ctx, statementID)
	if err != nil {
		return err
	}
	res, err := r.Suggest(ctx, evidence.Input{Body: s.Body, TopicIDs: topicIDs(ctx, db, statementID), Date: *s.PublishedAt})
	if err != nil {
		return err
	}
	var cites []store.EvidenceChange
	for _, ss := range res {
		if len(ss.Suggestions) == 0 || ss.Suggestions[0].Score < citeAbove {
			continue
		}
		best := ss.Suggestions[0]
		cites = append(cites, store.EvidenceChange{SentenceHash: ss.Hash, SentenceText: ss.Text,
			ItemID: best.Item.ID, Score: best.Score, Terms: strings.Join(best.Terms, ", ")})
	}
	// The demo statement is stored published, so its citations are seeded into what the
	// public sees rather than decided on a draft.
	return db.SeedCitations(ctx, statementID, cites)
}

func topicIDs(ctx context.Context, db *store.DB, statementID int64) []int64 {
	ts, _ := db.StatementTopics(ctx, statementID)
	ids := make([]int64, 0, len(ts))
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	return ids
}

func slug(s string) string {
	s = docket.Slugify(s)
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}

func hash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func htmlEscape(s string) string { return htmlEscaper.Replace(s) }
