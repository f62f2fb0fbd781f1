package ingest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/rules"
	"github.com/docket-dev/docket/internal/store"
)

// RuleMatcher matches items against every active topic's rule in one pass (rules.Matcher).
type RuleMatcher struct {
	m *rules.Matcher
}

// NewRuleMatcher compiles the topics' rules. A topic whose stored rule no longer parses
// (it was checked when saved, so only a newer binary's syntax could do this) matches nothing
// and is reported in the error, while the others still match.
func NewRuleMatcher(topics []docket.Topic) (*RuleMatcher, error) {
	rts := make([]rules.Topic, 0, len(topics))
	var bad []string
	for _, t := range topics {
		if strings.TrimSpace(t.Rule) == "" {
			continue
		}
		r, err := rules.Parse(t.Rule)
		if err != nil {
			bad = append(bad, fmt.Sprintf("topic %s: %v", t.Slug, err))
			continue
		}
		rts = append(rts, rules.Topic{ID: t.ID, Rule: r})
	}
	rm := &RuleMatcher{m: rules.Compile(rts)}
	if len(bad) > 0 {
		return rm, fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return rm, nil
}

// Match returns the topics an item belongs to, with the terms found.
func (rm *RuleMatcher) Match(it *docket.Item) []store.TopicMatch {
	res := rm.m.Match(ItemDoc(it))
	if len(res) == 0 {
		return nil
	}
	out := make([]store.TopicMatch, len(res))
	for i, r := range res {
		out[i] = store.TopicMatch{TopicID: r.TopicID, Terms: r.Terms}
	}
	return out
}

// ItemDoc is the text of an item that rules match, its fields apart as Normalize wrote them
// into Text (see withTitle and joinText): the title, the summary's text and the content's.
// It reads only Title and Text, so that re-matching stored items (which loads just those)
// finds what matching at ingest found. Text is cut after the title only where withTitle put
// the title above it: a text that merely begins with the title's letters ("UNICEF says…"
// under the title "UN") is matched whole.
func ItemDoc(it *docket.Item) rules.Doc {
	text := it.Text
	if rest, ok := strings.CutPrefix(text, it.Title+titleBreak); ok && it.Title != "" && !strings.HasPrefix(rest, "\n") {
		text = rest
	} else if text == it.Title {
		text = ""
	}
	summary, content, ok := strings.Cut(text, fieldBreak)
	if !ok {
		return rules.Doc{Title: it.Title, Content: text}
	}
	return rules.Doc{Title: it.Title, Summary: summary, Content: content}
}

// TopicMatchers hands out the matcher for the current topics, compiling it again only when a
// topic changed. It is shared by every worker of a process.
type TopicMatchers struct {
	DB  *store.DB
	Log interface{ Warn(string, ...any) }

	mu      sync.Mutex
	stamp   string
	matcher *RuleMatcher
	checked time.Time
}

// recheck is how long a compiled matcher is trusted before the topics are looked at again.
const recheck = 2 * time.Second

// Current returns the matcher for the topics as they are now.
func (tm *TopicMatchers) Current(ctx context.Context) (Matcher, error) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if tm.matcher != nil && time.Since(tm.checked) < recheck {
		return tm.matcher, nil
	}
	stamp, err := tm.DB.TopicsStamp(ctx)
	if err != nil {
		return nil, err
	}
	tm.checked = time.Now()
	if tm.matcher != nil && stamp == tm.stamp {
		return tm.matcher, nil
	}
	topics, err := tm.DB.ActiveTopics(ctx)
	if err != nil {
		return nil, err
	}
	m, err := NewRuleMatcher(topics)
	if err != nil && tm.Log != nil {
		tm.Log.Warn("topic rules that do not parse match nothing", "err", err)
	}
	tm.matcher, tm.stamp = m, stamp
	return m, nil
}
