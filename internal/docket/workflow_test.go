package docket

import "testing"

// TestPermissions pins the actions that set roles apart, so a change to the table is a
// change someone meant.
func TestPermissions(t *testing.T) {
	cases := []struct {
		action                  string
		researcher, editor, adm bool
	}{
		{ActViewOffice, true, true, true},
		{ActCurate, true, true, true},
		{ActEditStatement, false, true, true},
		{ActApprove, false, true, true},
		{ActImportStatement, false, true, true},
		{ActImportPublished, false, false, true},
		// Editors manage topics, as the topics issue says (commit 40fe5f7), and members.
		{ActManageTopics, false, true, true},
		{ActManageMembers, false, true, true},
		{ActManageSources, false, false, true},
		{ActManageUsers, false, false, true},
		{ActViewAudit, false, false, true},
	}
	for _, c := range cases {
		for role, want := range map[string]bool{RoleResearcher: c.researcher, RoleEditor: c.editor, RoleAdmin: c.adm} {
			if got := Can(role, c.action); got != want {
				t.Errorf("Can(%s, %s) = %v, want %v", role, c.action, got, want)
			}
		}
	}
}
