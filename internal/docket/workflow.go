package docket

import "strings"

// Statement statuses.
const (
	StatusDraft     = "draft"
	StatusInReview  = "in_review"
	StatusApproved  = "approved"
	StatusPublished = "published"
	StatusWithdrawn = "withdrawn"
)

// Statuses lists the statuses in workflow order, as the publish-status board shows them.
var Statuses = []string{StatusDraft, StatusInReview, StatusApproved, StatusPublished, StatusWithdrawn}

// StatusLabel is the word pages show for a status.
func StatusLabel(s string) string {
	switch s {
	case StatusDraft:
		return "Draft"
	case StatusInReview:
		return "In review"
	case StatusApproved:
		return "Approved"
	case StatusPublished:
		return "Published"
	case StatusWithdrawn:
		return "Withdrawn"
	}
	return s
}

// Workflow actions.
const (
	ActSubmit         = "submit"
	ActRequestChanges = "request_changes"
	ActApprove        = "approve"
	ActReopen         = "reopen"
	ActPublish        = "publish"
	ActWithdraw       = "withdraw"
	ActRevise         = "revise"
)

// Transition is one edge of the statement workflow.
type Transition struct {
	Action string
	From   string
	To     string
	Label  string // the button's words
}

// Workflow is the statement state machine of docs/design.md. Revise starts a new version of a
// published (or withdrawn) statement as a draft; the published revision stays public.
var Workflow = []Transition{
	{ActSubmit, StatusDraft, StatusInReview, "Submit for review"},
	{ActRequestChanges, StatusInReview, StatusDraft, "Request changes"},
	{ActApprove, StatusInReview, StatusApproved, "Approve"},
	{ActReopen, StatusApproved, StatusDraft, "Reopen"},
	{ActPublish, StatusApproved, StatusPublished, "Publish"},
	{ActWithdraw, StatusPublished, StatusWithdrawn, "Withdraw"},
	{ActRevise, StatusPublished, StatusDraft, "Revise (new version)"},
	{ActRevise, StatusWithdrawn, StatusDraft, "Revise (new version)"},
}

// Office actions that are not statement transitions, for the authorization table.
const (
	ActViewOffice      = "view_office"
	ActComment         = "comment"
	ActCurate          = "curate"
	ActFollow          = "follow"
	ActEditStatement   = "edit_statement"
	ActManageSources   = "manage_sources"
	ActManageTopics    = "manage_topics"
	ActManageMembers   = "manage_members"
	ActManageUsers     = "manage_users"
	ActViewAudit       = "view_audit"
	ActImportStatement = "import_statement"
	ActEditEvidence    = "edit_evidence"
	// ActImportPublished records a statement as already published, skipping review: for
	// statements the MP made elsewhere. No role but admin has it.
	ActImportPublished = "import_published"
)

// permissions is the role × action table every office handler consults through Can.
// Researchers read, follow, curate timelines and comment; they never change a statement's
// status. Editors also manage topics, write statements and move them through the workflow.
// Admins do everything, including managing users and sources.
var permissions = map[string][]string{
	RoleResearcher: {ActViewOffice, ActComment, ActCurate, ActFollow},
	RoleEditor: {ActViewOffice, ActComment, ActCurate, ActFollow, ActManageTopics, ActEditStatement, ActImportStatement,
		ActEditEvidence, ActManageMembers, ActSubmit, ActRequestChanges, ActApprove, ActReopen,
		ActPublish, ActWithdraw, ActRevise},
}

// Can reports whether role may perform action.
func Can(role, action string) bool {
	if role == RoleAdmin {
		return true
	}
	return contains(permissions[role], action)
}

// Step finds the transition for action from status.
func Step(status, action string) (Transition, bool) {
	for _, t := range Workflow {
		if t.From == status && t.Action == action {
			return t, true
		}
	}
	return Transition{}, false
}

// Actions lists the transitions out of status, in Workflow order, for a statement that has a
// published version on the public pages (public) or not.
func Actions(status string, public bool) []Transition {
	var out []Transition
	for _, t := range Workflow {
		if t.From == status {
			out = append(out, t)
		}
	}
	if t, ok := takeDown(status, public); ok {
		out = append(out, t)
	}
	return out
}

// takeDown is withdrawing the published version of a statement whose next version is being
// written (revising leaves the published one public): a text found wrong comes off the
// public pages at once, not after its correction has been through review. The working copy
// stays as it is, for revising again.
func takeDown(status string, public bool) (Transition, bool) {
	switch status {
	case StatusDraft, StatusInReview, StatusApproved:
		if public {
			return Transition{ActWithdraw, status, StatusWithdrawn, "Withdraw the published version"}, true
		}
	}
	return Transition{}, false
}

// CheckTransition says whether a user of role may apply action to a statement in status.
// public says whether a version of the statement is on the public pages, and wroteVersion
// whether that user had a hand in the current version: nobody, not even an admin, approves
// their own words.
func CheckTransition(role, status, action string, public, wroteVersion bool) (Transition, error) {
	if !Can(role, action) {
		return Transition{}, Errorf(EFORBIDDEN, "a %s may not %s a statement", role, actionWord(action))
	}
	t, ok := Step(status, action)
	if !ok && action == ActWithdraw {
		t, ok = takeDown(status, public)
	}
	if !ok {
		return Transition{}, Errorf(ECONFLICT, "a statement that is %s cannot be %s", strings.ToLower(StatusLabel(status)), pastTense(action))
	}
	if action == ActApprove && wroteVersion {
		return Transition{}, Errorf(EFORBIDDEN, "you wrote this version, so someone else must approve it")
	}
	return t, nil
}

func actionWord(a string) string {
	if a == ActRequestChanges {
		return "request changes to"
	}
	return a
}

func pastTense(a string) string {
	switch a {
	case ActSubmit:
		return "submitted"
	case ActRequestChanges:
		return "sent back for changes"
	case ActApprove:
		return "approved"
	case ActReopen:
		return "reopened"
	case ActPublish:
		return "published"
	case ActWithdraw:
		return "withdrawn"
	case ActRevise:
		return "revised"
	}
	return a
}
