// Package jiratest is an httptest Jira speaking the REST v2 shapes kickoff uses (issues,
// transitions; others add routes with Handle), checking credentials and recording every
// request so tests can assert what kickoff asked. Test code only.
package jiratest
