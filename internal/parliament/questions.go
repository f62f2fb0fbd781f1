package parliament

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

const (
	apiQuestions  = "written questions"
	apiStatements = "written statements"
)

// questionsSearch is the body of /api/writtenquestions/questions.
type questionsSearch struct {
	Results []struct {
		Value question `json:"value"`
	} `json:"results"`
	TotalResults int `json:"totalResults"`
}

// questionItem is the body of /api/writtenquestions/questions/{id}.
type questionItem struct {
	Value question `json:"value"`
}

type question struct {
	ID             int          `json:"id"`
	UIN            flexString   `json:"uin"`
	AskingMemberID int          `json:"askingMemberId"`
	AskingMember   *memberBrief `json:"askingMember"`
	House          string       `json:"house"`
	DateTabled     string       `json:"dateTabled"`
	QuestionText   string       `json:"questionText"`
	AnswerText     string       `json:"answerText"`
	Heading        string       `json:"heading"`
}

// memberBrief is the member the questions API adds with expandMember=true.
type memberBrief struct {
	Name string `json:"name"`
}

func (m *memberBrief) name() string {
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m.Name)
}

// statementsSearch is the body of /api/writtenstatements/statements.
type statementsSearch struct {
	Results []struct {
		Value statement `json:"value"`
	} `json:"results"`
	TotalResults int `json:"totalResults"`
}

// statementItem is the body of /api/writtenstatements/statements/{id}. The API's own
// description says this answers a search result while the questions endpoint answers
// {value: …}; both are accepted.
type statementItem struct {
	Value   *statement `json:"value"`
	Results []struct {
		Value statement `json:"value"`
	} `json:"results"`
}

type statement struct {
	ID       int          `json:"id"`
	UIN      flexString   `json:"uin"`
	Title    string       `json:"title"`
	Text     string       `json:"text"`
	DateMade string       `json:"dateMade"`
	House    string       `json:"house"`
	MemberID int          `json:"memberId"`
	Member   *memberBrief `json:"member"`
}

// questionsPage fetches one page of the written questions a member tabled. Questions whose
// text the list cut short are fetched whole (unless older than since, as they would be dropped
// anyway); one that cannot be is left out of the page and its error returned with the rest, so
// the caller retries it on its next poll.
func (c *Client) questionsPage(ctx context.Context, memberID int, since time.Time, skip, take int) (page, error) {
	q := url.Values{
		"askingMemberId": {itoa(memberID)},
		"expandMember":   {"true"},
		"skip":           {itoa(skip)},
		"take":           {itoa(take)},
	}
	if !since.IsZero() {
		q.Set("tabledWhenFrom", day(since).Format(time.DateOnly))
	}
	var body questionsSearch
	if err := c.get(ctx, c.questions, apiQuestions, "/api/writtenquestions/questions", q, &body); err != nil {
		return page{}, err
	}
	p := page{raw: len(body.Results), total: body.TotalResults}
	var errs []error
	for _, r := range body.Results {
		v := r.Value
		date, _ := parseTime(v.DateTabled)
		p.see(date)
		if v.ID == 0 || (v.AskingMemberID != 0 && v.AskingMemberID != memberID) || older(date, since) {
			continue
		}
		if truncated(v.QuestionText) || truncated(v.AnswerText) {
			full, err := c.fullQuestion(ctx, v.ID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			v = full
		}
		p.items = append(p.items, c.questionContribution(v, memberID))
	}
	return p, errors.Join(errs...)
}

func (c *Client) fullQuestion(ctx context.Context, id int) (question, error) {
	var body questionItem
	api := fmt.Sprintf("written question %d", id)
	err := c.get(ctx, c.questions, api, "/api/writtenquestions/questions/"+itoa(id),
		url.Values{"expandMember": {"true"}}, &body)
	if err != nil {
		return question{}, err
	}
	if body.Value.ID != id {
		return question{}, fmt.Errorf("parliament: %s: the API answered with question %d", api, body.Value.ID)
	}
	return body.Value, nil
}

// WrittenQuestion fetches one written question in full, for refreshing one ingested before
// it was answered.
func (c *Client) WrittenQuestion(ctx context.Context, id int) (Contribution, error) {
	if id <= 0 {
		return Contribution{}, docket.FieldError("id", "written question id must be a positive number, got %d", id)
	}
	v, err := c.fullQuestion(ctx, id)
	if err != nil {
		return Contribution{}, err
	}
	return c.questionContribution(v, v.AskingMemberID), nil
}

func (c *Client) questionContribution(v question, memberID int) Contribution {
	date, _ := parseTime(v.DateTabled)
	return Contribution{
		ExternalID: "wq:" + itoa(v.ID),
		Kind:       docket.KindWrittenQuestion,
		Title:      strings.TrimSpace(v.Heading),
		Text:       plainText(v.QuestionText),
		Answer:     plainText(v.AnswerText),
		URL:        c.detailURL(c.web.questions, "written-questions", date, string(v.UIN)),
		Date:       date,
		MemberID:   memberID,
		MemberName: v.AskingMember.name(),
		House:      v.House,
	}
}

// statementsPage fetches one page of the written statements a member made.
func (c *Client) statementsPage(ctx context.Context, memberID int, since time.Time, skip, take int) (page, error) {
	q := url.Values{
		"members":      {itoa(memberID)},
		"expandMember": {"true"},
		"skip":         {itoa(skip)},
		"take":         {itoa(take)},
	}
	if !since.IsZero() {
		q.Set("madeWhenFrom", day(since).Format(time.DateOnly))
	}
	var body statementsSearch
	if err := c.get(ctx, c.questions, apiStatements, "/api/writtenstatements/statements", q, &body); err != nil {
		return page{}, err
	}
	p := page{raw: len(body.Results), total: body.TotalResults}
	var errs []error
	for _, r := range body.Results {
		v := r.Value
		date, _ := parseTime(v.DateMade)
		p.see(date)
		if v.ID == 0 || (v.MemberID != 0 && v.MemberID != memberID) || older(date, since) {
			continue
		}
		if truncated(v.Text) {
			full, err := c.fullStatement(ctx, v.ID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			v = full
		}
		p.items = append(p.items, c.statementContribution(v, memberID))
	}
	return p, errors.Join(errs...)
}

func (c *Client) fullStatement(ctx context.Context, id int) (statement, error) {
	var body statementItem
	api := fmt.Sprintf("written statement %d", id)
	err := c.get(ctx, c.questions, api, "/api/writtenstatements/statements/"+itoa(id),
		url.Values{"expandMember": {"true"}}, &body)
	if err != nil {
		return statement{}, err
	}
	if body.Value != nil && body.Value.ID == id {
		return *body.Value, nil
	}
	for _, r := range body.Results {
		if r.Value.ID == id {
			return r.Value, nil
		}
	}
	return statement{}, fmt.Errorf("parliament: %s: not in the API's answer", api)
}

func (c *Client) statementContribution(v statement, memberID int) Contribution {
	date, _ := parseTime(v.DateMade)
	return Contribution{
		ExternalID: "ws:" + itoa(v.ID),
		Kind:       docket.KindArticle,
		Title:      strings.TrimSpace(v.Title),
		Text:       plainText(v.Text),
		URL:        c.detailURL(c.web.questions, "written-statements", date, string(v.UIN)),
		Date:       date,
		MemberID:   memberID,
		MemberName: v.Member.name(),
		House:      v.House,
	}
}

// detailURL is a questions-statements.parliament.uk page: {web}/{kind}/detail/{yyyy-mm-dd}/{uin}.
func (c *Client) detailURL(web, kind string, date time.Time, uin string) string {
	uin = strings.TrimSpace(uin)
	if date.IsZero() || uin == "" {
		return ""
	}
	return web + "/" + kind + "/detail/" + date.Format(time.DateOnly) + "/" + url.PathEscape(uin)
}
