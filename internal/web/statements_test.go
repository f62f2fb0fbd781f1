package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
)

func parseHTML(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// signedIn returns a browser signed in as u.
func signedIn(t *testing.T, f *fixture, u *docket.User) *browser {
	t.Helper()
	b := newBrowser(t, f.srv.URL)
	if resp := b.signIn(u.Email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", u.Email, resp.StatusCode)
	}
	return b
}

// addEvidenceItems puts reports that statements in these tests cite on the fixture's public
// topic, and returns their ids by a short name.
func addEvidenceItems(t *testing.T, f *fixture) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	src, err := f.db.SourceByURL(ctx, "https://un.example.org/feed")
	if err != nil {
		t.Fatal(err)
	}
	items := []docket.Item{
		{GUID: "evac", URL: "https://un.example.org/evac", Title: "Evacuation of eastern Aleppo completed, Red Cross says",
			Text: "The Red Cross said the evacuation of eastern Aleppo was complete after a week of convoys.", PublishedAt: t0.Add(24 * time.Hour), ContentHash: "evac"},
		{GUID: "monitors", URL: "https://un.example.org/monitors", Title: "Security Council votes to send monitors to Aleppo",
			Text: "The Security Council voted unanimously to send UN monitors to observe the evacuations.", PublishedAt: t0.Add(30 * time.Hour), ContentHash: "monitors"},
		{GUID: "idlib", URL: "https://un.example.org/idlib", Title: "Families from Aleppo need shelter in Idlib",
			Text: "Displaced families arriving in Idlib need shelter, blankets and food through the winter.", PublishedAt: t0.Add(36 * time.Hour), ContentHash: "idlib"},
	}
	ids := map[string]int64{}
	err = f.db.Update(ctx, func(tx *store.Tx) error {
		res, err := tx.SaveItems(ctx, src.ID, items)
		if err != nil {
			return err
		}
		for i, id := range res.New {
			ids[items[i].GUID] = id
			if err := tx.LinkRuleMatches(ctx, id, items[i].PublishedAt, []store.TopicMatch{{TopicID: f.public.ID, Terms: []string{"aleppo"}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

const (
	sentenceEvac     = "The Red Cross says the evacuation of eastern Aleppo is complete."
	sentenceMonitors = "The Security Council voted unanimously to send monitors to observe the evacuations."
	sentenceIdlib    = "Families who reached Idlib need shelter and blankets through the winter."
)

// TestStatementEditorToPublicCitations drafts a statement in the office, checks its evidence
// panel, the live preview, a confirmation, an optimistic-save conflict, the review (nobody
// approves their own version), publication with numbered citations on the public page, and
// that a new version's draft neither shows publicly nor leaks its evidence.
func TestStatementEditorToPublicCitations(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	ids := addEvidenceItems(t, f)
	ed := signedIn(t, f, users[docket.RoleEditor])
	admin := signedIn(t, f, users[docket.RoleAdmin])
	ctx := context.Background()

	body := sentenceEvac + " " + sentenceMonitors
	resp, _ := ed.do("POST", "/office/statements", url.Values{"title": {"On the evacuation of Aleppo"}, "kind": {"press_release"},
		"topics": {fmt.Sprint(f.public.ID)}, "body": {body}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	path := strings.Split(resp.Header.Get("Location"), "?")[0]
	var id int64
	fmt.Sscanf(path, "/office/statements/%d", &id)

	t.Run("the editor shows the draft beside its evidence", func(t *testing.T) {
		_, page := ed.do("GET", path, nil)
		doc := parseHTML(t, page)
		if v, _ := doc.Find(`[data-testid=editor-form] input[name=revision]`).Attr("value"); v != "1" {
			t.Errorf("hidden revision %q, want 1", v)
		}
		ta := doc.Find(`textarea#f-body`)
		// input, not keyup: pasting or dropping text fires no key event.
		if trig, _ := ta.Attr("hx-trigger"); trig != "input changed delay:800ms" {
			t.Errorf("textarea hx-trigger %q, want input changed delay:800ms", trig)
		}
		if post, _ := ta.Attr("hx-post"); post != path+"/evidence/preview" {
			t.Errorf("textarea hx-post %q", post)
		}
		sents := doc.Find(`[data-testid=evidence-panel] [data-testid=sentence]`)
		if sents.Length() != 2 {
			t.Fatalf("%d sentences in the panel, want 2", sents.Length())
		}
		first, _ := sents.First().Find(`[data-testid=evidence]`).First().Attr("data-item")
		if first != fmt.Sprint(ids["evac"]) {
			t.Errorf("first suggestion for %q is item %s, want %d", sentenceEvac, first, ids["evac"])
		}
		if terms := sents.First().Find(`[data-testid=terms]`).First().Text(); !strings.Contains(terms, "evacuation") || !strings.Contains(terms, "complete") {
			t.Errorf("reason %q, want the shared words", terms)
		}
		if got := doc.Find(`[data-testid=unsupported]`).Text(); !strings.Contains(got, "2 of 2 sentences have no confirmed evidence") {
			t.Errorf("unsupported %q", got)
		}
		submit := doc.Find(`details[data-testid=action-submit]`)
		if submit.Length() != 1 || !strings.Contains(submit.Find(`[data-testid=warning]`).Text(), "warning, not a block") {
			t.Errorf("submit confirmation %q, want a warning about unsupported sentences", submit.Text())
		}
		if doc.Find(`details[data-testid=action-approve]`).Length() != 0 {
			t.Error("a draft offers approval")
		}
	})

	t.Run("the preview follows the unsaved text", func(t *testing.T) {
		resp, page := ed.do("POST", path+"/evidence/preview", url.Values{"body": {body + "\n\n" + sentenceIdlib}, "topics": {fmt.Sprint(f.public.ID)}},
			"HX-Request", "true")
		if resp.StatusCode != http.StatusOK || strings.Contains(page, "<html") {
			t.Fatalf("preview: %d, want the bare panel: %.200s", resp.StatusCode, page)
		}
		doc := parseHTML(t, page)
		sents := doc.Find(`[data-testid=sentence]`)
		if sents.Length() != 3 {
			t.Fatalf("%d sentences, want 3", sents.Length())
		}
		if got, _ := sents.Eq(2).Find(`[data-testid=evidence]`).First().Attr("data-item"); got != fmt.Sprint(ids["idlib"]) {
			t.Errorf("the new sentence's first suggestion is %s, want %d", got, ids["idlib"])
		}
		if st, _ := db.StatementByID(ctx, id); st.Revision != 1 || strings.Contains(st.Body, "Idlib") {
			t.Errorf("the preview saved: revision %d", st.Revision)
		}
	})

	t.Run("confirming through htmx answers with the panel", func(t *testing.T) {
		resp, page := ed.do("POST", path+"/evidence", url.Values{"sentence": {sentenceEvac}, "item": {fmt.Sprint(ids["evac"])}, "state": {"confirmed"},
			"body": {body}}, "HX-Request", "true")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm: %d %.300s", resp.StatusCode, page)
		}
		doc := parseHTML(t, page)
		if got := doc.Find(`[data-testid=unsupported]`).Text(); !strings.Contains(got, "1 of 2 sentences has no confirmed evidence") {
			t.Errorf("unsupported %q", got)
		}
		if doc.Find(`.evidence-confirmed`).Length() != 1 {
			t.Errorf("%d confirmed, want 1", doc.Find(`.evidence-confirmed`).Length())
		}
		// Without htmx, the same form goes back to the editor.
		resp, _ = ed.do("POST", path+"/evidence", url.Values{"sentence": {sentenceMonitors}, "item": {"https://un.example.org/monitors"}, "state": {"confirmed"}, "manual": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("manual add by address: %d", resp.StatusCode)
		}
		resp, _ = ed.do("POST", path+"/evidence", url.Values{"sentence": {sentenceMonitors}, "item": {"not an item"}, "state": {"confirmed"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a bad item: %d, want 422", resp.StatusCode)
		}
	})

	t.Run("a save from an old revision is refused and keeps the typed text", func(t *testing.T) {
		form := url.Values{"title": {"On the evacuation of Aleppo"}, "kind": {"press_release"}, "topics": {fmt.Sprint(f.public.ID)},
			"body": {body + "\n\n" + sentenceIdlib}, "revision": {"1"}}
		if resp, _ := ed.do("POST", path, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		form.Set("body", "Someone else's text.")
		resp, page := admin.do("POST", path, form)
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("stale save: %d, want 409", resp.StatusCode)
		}
		doc := parseHTML(t, page)
		if got := doc.Find(`[data-testid=error-summary]`).Text(); !strings.Contains(got, "someone else saved this statement meanwhile: reload") {
			t.Errorf("error summary %q", got)
		}
		if got := doc.Find(`textarea#f-body`).Text(); got != "Someone else's text." {
			t.Errorf("textarea %q, want the text the user typed", got)
		}
		if st, _ := db.StatementByID(ctx, id); st.Revision != 2 || strings.Contains(st.Body, "Someone else") {
			t.Errorf("the stale save changed the statement: revision %d", st.Revision)
		}
	})

	t.Run("review: the writer cannot approve, another editor can, then publish", func(t *testing.T) {
		if resp, body := ed.do("POST", path+"/submit", url.Values{"revision": {"2"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d %.300s", resp.StatusCode, body)
		}
		_, page := ed.do("GET", path, nil)
		doc := parseHTML(t, page)
		if got := doc.Find(`[data-testid=status]`).Text(); got != "In review" {
			t.Errorf("status %q", got)
		}
		if got := doc.Find(`details[data-testid=action-approve]`).Text(); !strings.Contains(got, "someone else must approve it") || doc.Find(`details[data-testid=action-approve] form`).Length() != 0 {
			t.Errorf("the writer's approve action %q, want it blocked with the reason", got)
		}
		if resp, _ := ed.do("POST", path+"/approve", url.Values{"revision": {"2"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the writer approving: %d, want 403", resp.StatusCode)
		}
		for _, a := range []string{"approve", "publish"} {
			form := actionForm(t, admin, path, a)
			form.Set("note", "Checked the figures.")
			if resp, body := admin.do("POST", path+"/"+a, form); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %d %.300s", a, resp.StatusCode, body)
			}
		}
		_, page = ed.do("GET", path, nil)
		doc = parseHTML(t, page)
		var history []string
		doc.Find(`[data-testid=history] li`).Each(func(_ int, s *goquery.Selection) { history = append(history, s.Find(".tag").Text()) })
		if fmt.Sprint(history) != "[Draft In review Approved Published]" {
			t.Errorf("history %v", history)
		}
		if !strings.Contains(doc.Find(`[data-testid=history]`).Text(), "Checked the figures.") {
			t.Error("the note is not on the history")
		}
	})

	t.Run("the public page cites the confirmed evidence", func(t *testing.T) {
		doc := f.doc(t, fmt.Sprintf("/statements/%d", id), http.StatusOK)
		var cited []string
		doc.Find(`.statement-body sup.cite a`).Each(func(_ int, s *goquery.Selection) { cited = append(cited, s.Text()) })
		if fmt.Sprint(cited) != "[[1] [2]]" {
			t.Fatalf("citation marks %v, want [1] and [2]", cited)
		}
		var sources []string
		doc.Find(`[data-testid=citations] li`).Each(func(_ int, s *goquery.Selection) { sources = append(sources, s.Find("a").Text()) })
		if fmt.Sprint(sources) != "[Evacuation of eastern Aleppo completed, Red Cross says Security Council votes to send monitors to Aleppo]" {
			t.Errorf("sources %v", sources)
		}
		if href, _ := doc.Find(`[data-testid=citations] li a`).First().Attr("href"); href != "https://un.example.org/evac" {
			t.Errorf("first source links to %q", href)
		}
		if n := doc.Find(`.statement-body p`).Length(); n != 2 {
			t.Errorf("%d paragraphs, want 2", n)
		}
	})

	t.Run("the JSON API gives the same citations", func(t *testing.T) {
		var got struct {
			Sentences []struct {
				Text      string `json:"text"`
				Citations []int  `json:"citations"`
			} `json:"sentences"`
			Citations []struct {
				N   int    `json:"n"`
				URL string `json:"url"`
			} `json:"citations"`
		}
		getJSON(t, f, fmt.Sprintf("/api/v1/statements/%d", id), http.StatusOK, &got)
		if len(got.Citations) != 2 || got.Citations[0].N != 1 || got.Citations[0].URL != "https://un.example.org/evac" {
			t.Fatalf("citations %+v", got.Citations)
		}
		cited := 0
		for _, s := range got.Sentences {
			cited += len(s.Citations)
		}
		if cited != 2 {
			t.Errorf("sentences cite %d sources, want 2: %+v", cited, got.Sentences)
		}
	})

	t.Run("a new version stays out of public view with its evidence", func(t *testing.T) {
		if resp, _ := ed.do("POST", path+"/revise", url.Values{"revision": {"2"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("revise: %d", resp.StatusCode)
		}
		// While the next version is written, the published one can be taken down at once.
		if got := actionForm(t, ed, path, "withdraw").Get("revision"); got != "3" {
			t.Errorf("the draft of version 2 offers withdrawing at revision %q, want 3", got)
		}
		newSentence := "The United Nations says some 35,000 people have now left the city."
		// Revising started version 2 with a copy of revision 2: revision 3.
		form := url.Values{"title": {"On the evacuation of Aleppo, updated"}, "kind": {"press_release"}, "topics": {fmt.Sprint(f.public.ID)},
			"body": {sentenceEvac + " " + newSentence}, "revision": {"3"}}
		if resp, body := ed.do("POST", path, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save version 2: %d %.300s", resp.StatusCode, body)
		}
		if resp, _ := ed.do("POST", path+"/evidence", url.Values{"sentence": {newSentence}, "item": {fmt.Sprint(ids["idlib"])}, "state": {"confirmed"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm on the draft: %d", resp.StatusCode)
		}
		doc := f.doc(t, fmt.Sprintf("/statements/%d", id), http.StatusOK)
		text := doc.Find(`.statement-body`).Text()
		if strings.Contains(text, "35,000") || doc.Find("h1").Text() != "On the evacuation of Aleppo" {
			t.Errorf("the public page shows the draft: %q", text)
		}
		if n := doc.Find(`[data-testid=citations] li`).Length(); n != 2 {
			t.Errorf("%d sources publicly, want the 2 of the published text", n)
		}
	})

	t.Run("rejecting a citation on the new draft leaves the published version's", func(t *testing.T) {
		if resp, _ := ed.do("POST", path+"/evidence", url.Values{"sentence": {sentenceEvac}, "item": {fmt.Sprint(ids["evac"])}, "state": {"rejected"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reject on the draft: %d", resp.StatusCode)
		}
		doc := f.doc(t, fmt.Sprintf("/statements/%d", id), http.StatusOK)
		var sources []string
		doc.Find(`[data-testid=citations] li`).Each(func(_ int, s *goquery.Selection) { sources = append(sources, s.Find("a").Text()) })
		if len(sources) != 2 || sources[0] != "Evacuation of eastern Aleppo completed, Red Cross says" {
			t.Errorf("public sources %q, want the 2 published, the rejected one first", sources)
		}
		var api struct {
			Citations []struct {
				URL string `json:"url"`
			} `json:"citations"`
		}
		getJSON(t, f, fmt.Sprintf("/api/v1/statements/%d", id), http.StatusOK, &api)
		if len(api.Citations) != 2 || api.Citations[0].URL != "https://un.example.org/evac" {
			t.Errorf("API citations %+v, want the 2 published", api.Citations)
		}
		// On the topic page the statement leads (it is the latest), with its sources listed.
		topic := f.doc(t, "/topics/"+f.public.Slug, http.StatusOK)
		lead := topic.Find(`[data-testid=lead-statement]`)
		if h, _ := lead.Find("h3 a").Attr("href"); h != fmt.Sprintf("/statements/%d", id) {
			t.Fatalf("the topic page leads with %q, want statement %d", h, id)
		}
		if n := lead.Find(`[data-testid=lead-citations] li`).Length(); n != 2 {
			t.Errorf("the topic page lists %d sources of the statement, want the 2 published", n)
		}
	})

	t.Run("revisions are compared word by word", func(t *testing.T) {
		_, page := ed.do("GET", path+"/revisions?a=1&b=2", nil)
		doc := parseHTML(t, page)
		if got := doc.Find(`[data-testid=body-diff] ins`).Text(); !strings.Contains(got, sentenceIdlib) {
			t.Errorf("inserted %q, want the Idlib sentence", got)
		}
		_, page = ed.do("GET", path+"/revisions", nil)
		doc = parseHTML(t, page)
		if got := doc.Find(`[data-testid=body-diff] del`).Text(); !strings.Contains(got, "Security Council") {
			t.Errorf("by default the latest against the one before: deleted %q", got)
		}
		if got := doc.Find(`[data-testid=title-diff] ins`).Text(); got != ", updated" {
			t.Errorf("title inserted %q, want \", updated\"", got)
		}
		if resp, _ := ed.do("GET", path+"/revisions?a=1&b=99", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown revision: %d, want 404", resp.StatusCode)
		}
	})

	t.Run("two revisions that are not neighbours", func(t *testing.T) {
		// Revision 2 added the Idlib sentence, revision 3 is version 2's copy of it and
		// revision 4 dropped it again: between 1 and 4 it is neither added nor removed, as
		// it would be between 3 and 4.
		_, page := ed.do("GET", path+"/revisions?a=1&b=4", nil)
		doc := parseHTML(t, page)
		if got := doc.Find("h1").Text(); got != "Changes between revisions 1 and 4" {
			t.Errorf("heading %q", got)
		}
		if a, _ := doc.Find(`#f-a option[selected]`).Attr("value"); a != "1" {
			t.Errorf("from %q selected, want 1", a)
		}
		del, ins := doc.Find(`[data-testid=body-diff] del`).Text(), doc.Find(`[data-testid=body-diff] ins`).Text()
		if !strings.Contains(del, "Security Council") || !strings.Contains(ins, "35,000") {
			t.Errorf("deleted %q, inserted %q; want revision 1's monitors sentence out and the new one in", del, ins)
		}
		if strings.Contains(del+ins, "Idlib") {
			t.Errorf("deleted %q, inserted %q; the Idlib sentence is in neither revision", del, ins)
		}
		if got := doc.Find(`[data-testid=title-diff] ins`).Text(); got != ", updated" {
			t.Errorf("title inserted %q", got)
		}
	})
}

// TestRevisionOfKindMemberAndTopics: a save that changes only the kind, member or topics is
// a revision, and its diff and the history say what it changed rather than "the same".
func TestRevisionOfKindMemberAndTopics(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	ed := signedIn(t, f, users[docket.RoleEditor])
	form := url.Values{"title": {"On aid"}, "kind": {"press_release"}, "topics": {fmt.Sprint(f.public.ID)}, "body": {"Aid must reach Idlib."}}
	resp, _ := ed.do("POST", "/office/statements", form)
	path := strings.Split(resp.Header.Get("Location"), "?")[0]
	member, err := db.MemberByName(context.Background(), "Sarah Whitfield")
	if err != nil {
		t.Fatal(err)
	}
	form.Set("kind", "speech")
	form.Set("member", fmt.Sprint(member.ID))
	form["topics"] = []string{fmt.Sprint(f.private.ID)}
	form.Set("revision", "1")
	if resp, _ := ed.do("POST", path, form); resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "statement-saved") {
		t.Fatalf("save: %d to %s, want a new revision", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := ed.do("GET", path+"/revisions", nil)
	doc := parseHTML(t, page)
	if strings.Contains(page, "The two revisions are the same") {
		t.Error("the diff says the revisions are the same")
	}
	var facts []string
	doc.Find(`[data-testid=fact-diff] > div`).Each(func(_ int, s *goquery.Selection) {
		facts = append(facts, s.Find("dt").Text()+": "+s.Find("del").Text()+" → "+s.Find("ins").Text())
	})
	want := "[Kind: Press release → Speech Member: no member → Sarah Whitfield Topics: Syria → Office only]"
	if fmt.Sprint(facts) != want {
		t.Errorf("changes %v, want %s", facts, want)
	}
	_, page = ed.do("GET", path, nil)
	if got := parseHTML(t, page).Find(`[data-testid=revision-changed]`).Text(); !strings.Contains(got, "changed the kind, member, topics") {
		t.Errorf("the history says %q of revision 2", got)
	}
	// Saving the same again is no revision at all.
	form.Set("revision", "2")
	if resp, _ := ed.do("POST", path, form); !strings.Contains(resp.Header.Get("Location"), "statement-unchanged") {
		t.Errorf("an unchanged save went to %s", resp.Header.Get("Location"))
	}
}

func TestResearcherReadsAndComments(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	b := signedIn(t, f, users[docket.RoleResearcher])
	path := fmt.Sprintf("/office/statements/%d", f.draft.ID)
	_, page := b.do("GET", path, nil)
	doc := parseHTML(t, page)
	if doc.Find(`[data-testid=editor-form]`).Length() != 0 || doc.Find(`[data-testid=read-only]`).Length() != 1 {
		t.Error("a researcher gets the editing form")
	}
	if doc.Find(`details.confirm`).Length() != 0 || doc.Find(`[data-testid=evidence-panel] form`).Length() != 0 {
		t.Error("a researcher is offered status or evidence actions")
	}
	if resp, _ := b.do("POST", path+"/comments", url.Values{"comment": {"The figure needs a source."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("comment: %d", resp.StatusCode)
	}
	resp, page := b.do("POST", path+"/comments", url.Values{"comment": {"  "}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "the comment is empty") {
		t.Errorf("empty comment: %d", resp.StatusCode)
	}
	_, page = b.do("GET", path, nil)
	if got := parseHTML(t, page).Find(`[data-testid=comments] .comment-body`).Text(); got != "The figure needs a source." {
		t.Errorf("comments %q", got)
	}
	if resp, _ := b.do("POST", path+"/submit", url.Values{"revision": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a researcher submitting: %d, want 403", resp.StatusCode)
	}
}

func TestPublishStatusBoard(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	f := newFixture(t, db, 60)
	users := addUsers(t, db)
	// A statement submitted three days ago: overdue at the default two days.
	db.SetClock(func() time.Time { return time.Now().Add(-72 * time.Hour) })
	late := &docket.Statement{Title: "Waiting for review", Body: "Text.", Kind: docket.KindPressRelease}
	if err := db.CreateStatement(ctx, late, []int64{f.public.ID}, &users[docket.RoleEditor].ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Transition(ctx, late.ID, docket.ActSubmit, store.Seen{Revision: 1}, users[docket.RoleEditor], ""); err != nil {
		t.Fatal(err)
	}
	db.SetClock(time.Now)
	_, page := signedIn(t, f, users[docket.RoleResearcher]).do("GET", "/office/statements", nil)
	doc := parseHTML(t, page)
	counts := doc.Find(`[data-testid=board-counts]`).Text()
	for _, want := range []string{"Draft 1", "In review 1", "Published 1", "1 overdue"} {
		if !strings.Contains(strings.Join(strings.Fields(counts), " "), want) {
			t.Errorf("counts %q lack %q", strings.Join(strings.Fields(counts), " "), want)
		}
	}
	card := doc.Find(`[data-testid=column-in_review] [data-testid=board-card]`)
	if card.Length() != 1 || card.Find(`[data-testid=age]`).Text() != "3 days in review" || !strings.Contains(card.Text(), "Overdue") {
		t.Errorf("in-review card %q, want 3 days in review and overdue", strings.Join(strings.Fields(card.Text()), " "))
	}
	if got := card.Find(`[data-testid=holder]`).Text(); got != "Submitted by Editor User, waiting for another editor to approve it" {
		t.Errorf("holder %q", got)
	}
	// The fixture's published statement came out at hour 48; UN items (every third: 51, 54 and 57) after it
	// make it stale.
	stale := doc.Find(`[data-testid=stale] > li`)
	if stale.Length() != 1 || !strings.Contains(stale.Text(), "On Aleppo") || !strings.Contains(stale.Text(), "3 new items") {
		t.Errorf("stale %q", strings.Join(strings.Fields(stale.Text()), " "))
	}
	if got := doc.Find(`[data-testid=topic-board] tbody tr`).First().Text(); !strings.Contains(got, "On Aleppo") || !strings.Contains(got, "Draft on Idlib") {
		t.Errorf("topic line %q, want the published statement and the drafts", strings.Join(strings.Fields(got), " "))
	}
}

// TestEditorStaleBanner: the editor flags a published statement as stale only at the
// threshold the board and the command line apply; below it, it mentions the new items.
func TestEditorStaleBanner(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 60) // 3 UN items after the published statement
	users := addUsers(t, db)
	path := fmt.Sprintf("/office/statements/%d", f.published.ID)
	for _, c := range []struct {
		threshold int
		banner    bool
	}{{1, true}, {3, true}, {4, false}} {
		t.Run(fmt.Sprint("threshold ", c.threshold), func(t *testing.T) {
			srv := httptest.NewServer(web.NewServer(web.Config{DB: db, StaleThreshold: c.threshold}))
			defer srv.Close()
			b := newBrowser(t, srv.URL)
			b.signIn(users[docket.RoleEditor].Email, testPassword)
			_, page := b.do("GET", path, nil)
			doc := parseHTML(t, page)
			banner := doc.Find(`[data-testid=stale-banner]`)
			if (banner.Length() == 1) != c.banner {
				t.Errorf("banner shown: %v, want %v", banner.Length() == 1, c.banner)
			}
			if c.banner && !strings.Contains(banner.Text(), "3 new items") {
				t.Errorf("banner %q", strings.Join(strings.Fields(banner.Text()), " "))
			}
			below := doc.Find(`[data-testid=stale-below]`).Text()
			if c.banner != (below == "") || (!c.banner && !strings.Contains(below, "counts as stale at 4")) {
				t.Errorf("below the threshold: %q", below)
			}
			_, page = b.do("GET", "/office/statements", nil)
			if listed := parseHTML(t, page).Find(`[data-testid=stale] > li`).Length() == 1; listed != c.banner {
				t.Errorf("the board lists it as stale: %v, want %v as the editor says", listed, c.banner)
			}
		})
	}
}

// TestPublishStatusBoardCap: with more published statements than a column shows, the
// column shows the newest, the total, and a link to the list of them all.
func TestPublishStatusBoardCap(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	const extra = store.DefaultBoardRows + 5
	for k := range extra {
		on := t0.AddDate(0, 0, k+1)
		st := &docket.Statement{Title: fmt.Sprintf("Speech %02d", k), Body: "Text.", Kind: docket.KindSpeech, Status: docket.StatusPublished,
			Origin: docket.OriginIngested, PublishedAt: &on}
		if err := db.CreateStatement(ctx, st, []int64{f.public.ID}, nil, "ingested"); err != nil {
			t.Fatal(err)
		}
	}
	b := signedIn(t, f, users[docket.RoleResearcher])
	_, page := b.do("GET", "/office/statements", nil)
	doc := parseHTML(t, page)
	col := doc.Find(`[data-testid=column-published]`)
	cards := col.Find(`[data-testid=board-card] > a`)
	if cards.Length() != store.DefaultBoardRows {
		t.Fatalf("%d published cards, want %d", cards.Length(), store.DefaultBoardRows)
	}
	if got := cards.First().Text(); got != fmt.Sprintf("Speech %02d", extra-1) {
		t.Errorf("first published card %q, want the newest", got)
	}
	total := extra + 1 // and the fixture's own
	if got := col.Find("h3").Text(); got != fmt.Sprintf("Published (%d)", total) {
		t.Errorf("heading %q", got)
	}
	more := col.Find(`[data-testid=column-more]`)
	href, _ := more.Attr("href")
	if more.Text() != fmt.Sprintf("All %d published statements", total) || href != "/office/statements?status=published" {
		t.Fatalf("link %q to %q", more.Text(), href)
	}
	if got := col.Find(`[data-testid=holder]`).First().Text(); got != "Ingested from the MP's record" {
		t.Errorf("holder %q", got)
	}
	_, page = b.do("GET", href, nil)
	list := parseHTML(t, page)
	if n := list.Find(`[data-testid=status-list] [data-testid=board-card]`).Length(); n != total {
		t.Errorf("the list shows %d, want all %d", n, total)
	}
	if list.Find(`[data-testid=next-page]`).Length() != 0 {
		t.Error("a list of one page links to a next one")
	}
	if resp, _ := b.do("GET", "/office/statements?status=lost", nil); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown status: %d, want it refused", resp.StatusCode)
	}
}

// pageServer is what the web import fetches pages with in tests: a plain client, since the
// pages are on httptest's loopback server.
type pageServer struct{}

func (pageServer) FetchPage(ctx context.Context, u string) ([]byte, string, string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", "", docket.Errorf(docket.EINVALID, "could not fetch %s: HTTP %d", u, resp.StatusCode)
	}
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return []byte(b.String()), resp.Header.Get("Content-Type"), u, nil
}

// formValues is what a browser sends when button of the form sel on doc is pressed: its
// inputs, checked boxes, chosen options and text areas, and the button's name and value.
func formValues(doc *goquery.Document, sel, button string) url.Values {
	v := url.Values{}
	form := doc.Find(sel)
	form.Find("input").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		typ, _ := in.Attr("type")
		_, checked := in.Attr("checked")
		if name == "" || ((typ == "checkbox" || typ == "radio") && !checked) {
			return
		}
		val, _ := in.Attr("value")
		v.Add(name, val)
	})
	form.Find("textarea").Each(func(_ int, ta *goquery.Selection) {
		name, _ := ta.Attr("name")
		v.Add(name, ta.Text())
	})
	form.Find("select").Each(func(_ int, se *goquery.Selection) {
		name, _ := se.Attr("name")
		opt := se.Find("option[selected]")
		if opt.Length() == 0 {
			opt = se.Find("option").First()
		}
		val, _ := opt.Attr("value")
		v.Add(name, val)
	})
	b := form.Find(button)
	if name, ok := b.Attr("name"); ok {
		val, _ := b.Attr("value")
		v.Set(name, val)
	}
	return v
}

// TestImportPage imports a page in two steps: the preview shows the title, the text, the
// member and the lines removed, and stores nothing; importing from it stores what it showed,
// with the removed lines, which the statement's office page shows again.
func TestImportPage(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	ctx := context.Background()
	scraped, err := os.ReadFile("../cli/testdata/mp-page-scraped.txt")
	if err != nil {
		t.Fatal(err)
	}
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(scraped) }))
	defer pages.Close()
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db, Pages: pageServer{}}))
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	b.signIn(users[docket.RoleEditor].Email, testPassword)
	count := func() int {
		rows, err := db.ListStatements(ctx, store.StatementFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}

	cases := []struct {
		name       string
		form       url.Values
		memberSays string
	}{
		{"pasted", url.Values{"text": {string(scraped)}, "kind": {"constituent_response"}, "topics": {fmt.Sprint(f.public.ID)}},
			"Omar Haddad, MP for Northbridge: not a known member, who will be added from the signature."},
		{"fetched", url.Values{"url": {pages.URL + "/idlib"}, "kind": {"constituent_response"}},
			"Omar Haddad, MP for Northbridge, found from the signature."},
	}
	var ids []int64
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := count()
			resp, page := b.do("POST", "/office/statements/import", c.form)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("preview: %d %.500s", resp.StatusCode, page)
			}
			doc := parseHTML(t, page)
			if doc.Find(`[data-testid=import-preview]`).Length() != 1 {
				t.Fatalf("no preview: %.500s", page)
			}
			if count() != before {
				t.Fatal("the preview stored the statement")
			}
			if got, _ := doc.Find(`#f-title`).Attr("value"); got != "Idlib: my reply to constituents" {
				t.Errorf("preview title %q", got)
			}
			if got := strings.Join(strings.Fields(doc.Find(`[data-testid=preview-member]`).Text()), " "); got != c.memberSays {
				t.Errorf("preview member %q, want %q", got, c.memberSays)
			}
			body := doc.Find(`[data-testid=preview-body]`).Text()
			if !strings.Contains(body, "Thank you for writing to me") || strings.Contains(body, "cookie") || strings.Contains(body, "Do you like") {
				t.Errorf("preview text %q, want the statement without boilerplate", body)
			}
			var stripped []string
			doc.Find(`[data-testid=stripped] li`).Each(func(_ int, s *goquery.Selection) { stripped = append(stripped, s.Text()) })
			for _, want := range []string{"Do you like this post?", "Share this post", "MP for Northbridge"} {
				if !strings.Contains(strings.Join(stripped, "|"), want) {
					t.Errorf("preview stripped %q lacks %q", stripped, want)
				}
			}

			resp, page = b.do("POST", "/office/statements/import", formValues(doc, `[data-testid=import-preview]`, `button[value=import]`))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("import: %d %.500s", resp.StatusCode, page)
			}
			doc = parseHTML(t, page)
			result := strings.Join(strings.Fields(doc.Find(`[data-testid=import-result]`).Text()), " ")
			if !strings.Contains(result, "Idlib: my reply to constituents") || !strings.Contains(result, "by Omar Haddad, MP for Northbridge") {
				t.Errorf("result %q", result)
			}
			if created := doc.Find(`[data-testid=member-created]`).Length() == 1; created != (i == 0) {
				t.Errorf("member created shown: %v, want only on the first import", created)
			}
			if doc.Find(`[data-testid=title-made-up]`).Length() != 0 {
				t.Error("the result says a title found in the text was made up")
			}
			if count() != before+1 {
				t.Fatalf("%d statements after the import, want %d", count(), before+1)
			}
			rows, _ := db.ListStatements(ctx, store.StatementFilter{})
			ids = append(ids, rows[0].ID)
			kept, err := db.ImportStripped(ctx, rows[0].ID)
			if err != nil || strings.Join(kept, "|") != strings.Join(stripped, "|") {
				t.Errorf("stripped lines kept %q, %v; want those the preview showed, %q", kept, err, stripped)
			}
		})
	}
	st, _ := db.StatementByID(ctx, ids[1])
	for _, junk := range []string{"cookie", "Do you like", "Share this", "Yours sincerely", "Omar Haddad", "Tags:"} {
		if strings.Contains(st.Body, junk) {
			t.Errorf("stored body keeps %q", junk)
		}
	}
	if st.Origin != docket.OriginImported || st.SourceURL != pages.URL+"/idlib" {
		t.Errorf("origin %s source %q", st.Origin, st.SourceURL)
	}

	t.Run("the statement's page shows what the import removed", func(t *testing.T) {
		_, page := b.do("GET", fmt.Sprintf("/office/statements/%d", ids[0]), nil)
		sec := parseHTML(t, page).Find(`[data-testid=import-stripped]`)
		if got := sec.Find("h2").Text(); got != "What the import removed" {
			t.Errorf("heading %q", got)
		}
		if got := sec.Find("li").First().Text(); got == "" || !strings.Contains(sec.Text(), "Do you like this post?") {
			t.Errorf("lines %q, want the removed ones", strings.Join(strings.Fields(sec.Text()), " "))
		}
		_, page = b.do("GET", fmt.Sprintf("/office/statements/%d", f.draft.ID), nil)
		if parseHTML(t, page).Find(`[data-testid=import-stripped]`).Length() != 0 {
			t.Error("a drafted statement shows an import's removed lines")
		}
	})

	t.Run("a text without a title gets one made up, and says so", func(t *testing.T) {
		text := "Many constituents have written to me about the convoys to Idlib this week.\n\nI have asked the minister to press for safe passage.\n\nOmar Haddad\nMP for Northbridge\n\nDo you like this post?"
		resp, page := b.do("POST", "/office/statements/import", url.Values{"text": {text}, "kind": {"constituent_response"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("preview: %d %.500s", resp.StatusCode, page)
		}
		doc := parseHTML(t, page)
		if got, _ := doc.Find(`#f-title`).Attr("value"); got != "Many constituents have written to me about the convoys to Idlib this week" {
			t.Errorf("made-up title %q", got)
		}
		if hint := doc.Find(`#h-title`).Text(); !strings.Contains(hint, "made up from its first sentence: check it") {
			t.Errorf("title hint %q, want it to say the title was made up", hint)
		}
		resp, page = b.do("POST", "/office/statements/import", formValues(doc, `[data-testid=import-preview]`, `button[value=import]`))
		if resp.StatusCode != http.StatusOK || parseHTML(t, page).Find(`[data-testid=title-made-up]`).Length() != 1 {
			t.Errorf("import: %d, want the result to say the title was made up", resp.StatusCode)
		}

		// Changed on the preview, the title is the editor's own.
		_, page = b.do("POST", "/office/statements/import", url.Values{"text": {text}, "kind": {"constituent_response"}})
		form := formValues(parseHTML(t, page), `[data-testid=import-preview]`, `button[value=import]`)
		form.Set("title", "Convoys to Idlib")
		_, page = b.do("POST", "/office/statements/import", form)
		doc = parseHTML(t, page)
		if !strings.Contains(doc.Find(`[data-testid=import-result]`).Text(), "Convoys to Idlib") || doc.Find(`[data-testid=title-made-up]`).Length() != 0 {
			t.Errorf("result %q, want the editor's title, not called made up", strings.Join(strings.Fields(doc.Find(`[data-testid=import-result]`).Text()), " "))
		}
	})

	t.Run("back from the preview to the text", func(t *testing.T) {
		_, page := b.do("POST", "/office/statements/import", url.Values{"text": {string(scraped)}, "kind": {"press_release"}})
		before := count()
		resp, page := b.do("POST", "/office/statements/import", formValues(parseHTML(t, page), `[data-testid=import-preview]`, `button[value=edit]`))
		doc := parseHTML(t, page)
		if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid=import-form]`).Length() != 1 || doc.Find(`#f-text`).Text() != string(scraped) {
			t.Errorf("edit: %d, want the form with the text as pasted", resp.StatusCode)
		}
		if got, _ := doc.Find(`#f-kind option[selected]`).Attr("value"); got != "press_release" {
			t.Errorf("kind %q, want the one chosen", got)
		}
		if count() != before {
			t.Error("going back stored a statement")
		}
	})

	t.Run("an import from a preview that lost its text stores nothing", func(t *testing.T) {
		before := count()
		resp, page := b.do("POST", "/office/statements/import", url.Values{"step": {"import"}, "title": {"On Idlib"}, "kind": {"article"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "the preview carried no text") || count() != before {
			t.Errorf("status %d, %d statements stored", resp.StatusCode, count()-before)
		}
	})

	t.Run("form errors are linked to their fields", func(t *testing.T) {
		resp, page := b.do("POST", "/office/statements/import", url.Values{"status": {"published"}, "published_at": {"last week"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		doc := parseHTML(t, page)
		var links []string
		doc.Find(`[data-testid=error-summary] a`).Each(func(_ int, s *goquery.Selection) { h, _ := s.Attr("href"); links = append(links, h) })
		if fmt.Sprint(links) != "[#f-published_at #f-text]" {
			t.Errorf("error links %v", links)
		}
		if !strings.Contains(doc.Find(`[data-testid=error-summary]`).Text(), "only an admin may import a statement as already published") {
			t.Errorf("an editor importing as published is not told that only an admin may")
		}
	})

	t.Run("only an admin imports a statement as already published", func(t *testing.T) {
		text := "A statement made on the MP's own site about Idlib.\n\nIt is already public there."
		before := count()
		form := url.Values{"status": {"published"}, "text": {text}, "title": {"On Idlib"}, "kind": {"article"}}
		resp, _ := b.do("POST", "/office/statements/import", form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("an editor's preview: status %d, want 422", resp.StatusCode)
		}
		form.Set("step", "import")
		form.Set("body", text)
		if resp, _ := b.do("POST", "/office/statements/import", form); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("an editor's import: status %d, want 422", resp.StatusCode)
		}
		if count() != before {
			t.Fatalf("an editor's refused import was stored")
		}
		admin := signedIn(t, f, users[docket.RoleAdmin])
		resp, page := admin.do("POST", "/office/statements/import", form)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("an admin: status %d, want 200: %s", resp.StatusCode, parseHTML(t, page).Find(`[data-testid=error-summary]`).Text())
		}
		trail, _ := db.AuditTrail(ctx, 10, time.Time{})
		found := false
		for _, a := range trail {
			found = found || a.Action == "statement.import_published"
		}
		if !found {
			t.Errorf("the admin's published import is not in the audit log")
		}
	})
}

func TestMembersPage(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	b := signedIn(t, f, users[docket.RoleEditor])
	if resp, _ := b.do("POST", "/office/members", url.Values{"name": {"Jane Doe"}, "constituency": {"Exampleton"}, "party": {"Labour"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	resp, page := b.do("POST", "/office/members", url.Values{"name": {" "}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "name must not be empty") {
		t.Errorf("empty name: %d", resp.StatusCode)
	}
	jane, err := db.MemberByName(context.Background(), "jane doe")
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := b.do("POST", fmt.Sprintf("/office/members/%d", jane.ID), url.Values{"name": {"Jane Doe"}, "constituency": {"Exampleton North"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	_, page = b.do("GET", "/office/members", nil)
	var names []string
	parseHTML(t, page).Find(`[data-testid=members] input[name=constituency]`).Each(func(_ int, s *goquery.Selection) { v, _ := s.Attr("value"); names = append(names, v) })
	if fmt.Sprint(names) != "[Exampleton North Northbridge]" {
		t.Errorf("constituencies %v", names)
	}

	t.Run("a refused save shows the row as typed, with its error", func(t *testing.T) {
		resp, page := b.do("POST", fmt.Sprintf("/office/members/%d", jane.ID), url.Values{"name": {" "}, "constituency": {"Exampleton South"}, "party": {"Green"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("got %d, want 422: %.300s", resp.StatusCode, page)
		}
		doc := parseHTML(t, page)
		id := fmt.Sprint(jane.ID)
		row := doc.Find(`[data-testid=member-` + id + `]`)
		if msg := doc.Find(`#e-name-` + id).Text(); !strings.Contains(msg, "name must not be empty") {
			t.Errorf("the row's name error says %q", msg)
		}
		if href, _ := doc.Find(`[data-testid=error-summary] a`).Attr("href"); href != "#name-"+id {
			t.Errorf("the error summary links to %q, want #name-%s", href, id)
		}
		if _, invalid := doc.Find(`#name-` + id).Attr("aria-invalid"); !invalid {
			t.Error("the name box is not marked invalid")
		}
		if _, invalid := row.Find(`input[name=party]`).Attr("aria-invalid"); invalid {
			t.Error("the party box is marked invalid")
		}
		for field, want := range map[string]string{"constituency": "Exampleton South", "party": "Green"} {
			if got, _ := row.Find(`input[name=` + field + `]`).Attr("value"); got != want {
				t.Errorf("the row's %s holds %q, want what was typed, %q", field, got, want)
			}
		}
		if m, err := db.MemberByID(context.Background(), jane.ID); err != nil || m.Name != "Jane Doe" || m.Constituency != "Exampleton North" {
			t.Errorf("member %+v (%v), want it unchanged", m, err)
		}
	})
}

// actionForm is what a workflow action's form on a statement's page would send, as the user
// b loaded it: its hidden fields (the revision and the evidence count the user saw).
func actionForm(t *testing.T, b *browser, path, action string) url.Values {
	t.Helper()
	_, page := b.do("GET", path, nil)
	form := url.Values{}
	inputs := parseHTML(t, page).Find(`details[data-testid=action-` + action + `] form input[type=hidden]`)
	if inputs.Length() == 0 {
		t.Fatalf("%s offers no form to %s", path, action)
	}
	inputs.Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		value, _ := in.Attr("value")
		form.Set(name, value)
	})
	return form
}
