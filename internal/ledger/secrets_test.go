package ledger

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// A line as kickoff wrote it before secrets were kept out of the ledger: the whole model
// and the environment, values included.
const oldSecret = "hunter2-old-format"

func oldLine(id, slot string) string {
	return `{"id":"` + id + `","time":"2026-11-20T09:00:00Z","actor":"ann@example.com","action":"release","slot":"` + slot +
		`","kickoff":"kickoff-261120-alpha","outcome":"succeeded","apps":[{"name":"fe","image":"acme/fe:a","digest":"sha256:aa"}],` +
		`"compose":"services:\n  db:\n    environment:\n      MYSQL_ROOT_PASSWORD: ` + oldSecret + `\n","env":{"API_TOKEN":"` + oldSecret + `"}}`
}

// everything is what `history --json`, /api/history and `dashboard export` publish of recs.
func everything(t *testing.T, recs []Record) string {
	t.Helper()
	b, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFileOldRecordsWithValuesAreRedactedOnRead(t *testing.T) {
	dir := t.TempDir()
	s := NewFileStore(filepath.Join(dir, FileName))
	old := oldLine("01JD0000000000000000000001", "dev1") + "\n"
	if err := os.WriteFile(s.Path(), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(context.Background(), rec("dev2", "kb", "fe")); err != nil {
		t.Fatal(err)
	}
	recs, err := s.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1].Kickoff != "kickoff-261120-alpha" || recs[1].Apps[0].Digest != "sha256:aa" {
		t.Fatalf("records %+v: the old one must still read, with what it says besides values", recs)
	}
	if out := everything(t, recs); strings.Contains(out, oldSecret) || strings.Contains(out, `"compose"`) {
		t.Errorf("published records hold an old value: %s", out)
	}
}

func TestS3OldRecordsWithValuesAreRedactedOnRead(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	put := func(key, body string) {
		if _, err := srv.Client().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatal(err)
		}
	}
	// Two old records: one in the index and as its object, one only as its object (folded).
	a, b := "01HD0000000000000000000001", "01JD0000000000000000000002"
	put("kickoff/ledger/records/"+a+".json", oldLine(a, "dev1"))
	put("kickoff/ledger/records/"+b+".json", oldLine(b, "dev2"))
	put("kickoff/ledger/index.json", `{"format":1,"base":{"through":"`+a+`","order":["dev1"],"slots":{"dev1":{"recent":["`+a+`"],"count":1}}},"recent":[`+oldLine(b, "dev2")+`]}`)

	fromIndex, err := s.List(ctx, Filter{Limit: 1})
	if err != nil || len(fromIndex) != 1 {
		t.Fatalf("from the index: %v %v", fromIndex, err)
	}
	all, err := s.List(ctx, Filter{Limit: 10})
	if err != nil || len(all) != 2 {
		t.Fatalf("from the record objects: %v %v", all, err)
	}
	for name, recs := range map[string][]Record{"index": fromIndex, "record objects": all} {
		if out := everything(t, recs); strings.Contains(out, oldSecret) || strings.Contains(out, `"compose"`) {
			t.Errorf("%s: published records hold an old value: %s", name, out)
		}
	}
	// The next append rewrites the index from what it read: the values are gone from it.
	if _, err := s.Append(ctx, rec("dev1", "kb", "fe")); err != nil {
		t.Fatal(err)
	}
	if body, _ := getObject(t, srv.Client(), "kickoff/ledger/index.json"); strings.Contains(body, oldSecret) {
		t.Errorf("index.json still holds an old value after an append: %s", body)
	}
}
