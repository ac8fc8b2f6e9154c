package ledger

import (
	"bytes"
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
	// Two old records: one in last.json and as its object, one only as its object (past N).
	a, b := "01JD0000000000000000000001", "01JD0000000000000000000002"
	put("kickoff/ledger/records/"+a+".json", oldLine(a, "dev1"))
	put("kickoff/ledger/records/"+b+".json", oldLine(b, "dev2"))
	put("kickoff/ledger/last.json", "["+oldLine(b, "dev2")+"]")

	fromLast, err := s.List(ctx, Filter{Limit: 1})
	if err != nil || len(fromLast) != 1 {
		t.Fatalf("from last.json: %v %v", fromLast, err)
	}
	s.Keep = 1 // so that the older record is read from its own object
	all, err := s.List(ctx, Filter{Limit: 10})
	if err != nil || len(all) != 2 {
		t.Fatalf("from the record objects: %v %v", all, err)
	}
	for name, recs := range map[string][]Record{"last.json": fromLast, "record objects": all} {
		if out := everything(t, recs); strings.Contains(out, oldSecret) || strings.Contains(out, `"compose"`) {
			t.Errorf("%s: published records hold an old value: %s", name, out)
		}
	}
	// The next append rewrites last.json from what it read: the values are gone from it.
	s.Keep = 0
	if _, err := s.Append(ctx, rec("dev1", "kb", "fe")); err != nil {
		t.Fatal(err)
	}
	if body, _ := getObject(t, srv.Client(), "kickoff/ledger/last.json"); strings.Contains(body, oldSecret) {
		t.Errorf("last.json still holds an old value after an append: %s", body)
	}
}

func TestHasherIsKeyedAndStable(t *testing.T) {
	k1, k2 := bytes.Repeat([]byte{1}, keySize), bytes.Repeat([]byte{2}, keySize)
	a, b := NewHasher(k1), NewHasher(k2)
	if a.Sum([]byte("pw")) != NewHasher(k1).Sum([]byte("pw")) {
		t.Error("same key, same value: different hashes")
	}
	if a.Sum([]byte("pw")) == a.Sum([]byte("pw2")) {
		t.Error("a changed value hashes the same")
	}
	if a.Sum([]byte("pw")) == b.Sum([]byte("pw")) {
		t.Error("another ledger's key gives the same hash: it is not keyed")
	}
	if got := a.Sum([]byte("pw")); !strings.HasPrefix(got, "hmac-sha256:") || len(got) != len("hmac-sha256:")+32 || strings.Contains(got, "pw") {
		t.Errorf("hash %q", got)
	}
}

func TestFileHashKeyIsPrivateStableAndShared(t *testing.T) {
	dir := t.TempDir()
	s := NewFileStore(filepath.Join(dir, FileName))
	k, err := s.HashKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	again, err := NewFileStore(filepath.Join(dir, FileName)).HashKey(context.Background())
	if err != nil || !bytes.Equal(k, again) || len(k) != keySize {
		t.Fatalf("a second store reads another key: %x vs %x (%v)", k, again, err)
	}
	if _, err := s.Append(context.Background(), rec("dev1", "ka", "fe")); err != nil {
		t.Fatal(err)
	}
	ledger, _ := os.ReadFile(s.Path())
	if bytes.Contains(ledger, []byte(strings.TrimSpace(string(mustRead(t, filepath.Join(dir, KeyFileName)))))) {
		t.Error("the key is in the ledger file")
	}
	if err := os.WriteFile(filepath.Join(dir, KeyFileName), []byte("nope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.HashKey(context.Background()); err == nil || !strings.Contains(err.Error(), "is not 32 hex-encoded bytes") {
		t.Errorf("a corrupt key: %v", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestS3HashKeyIsSharedAndNeverInLast(t *testing.T) {
	ctx := context.Background()
	srv, s := newS3(t)
	other := &S3Store{Client: srv.Client(), Bucket: testBucket, Prefix: "kickoff/ledger"}
	k1, err := s.HashKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := other.HashKey(ctx)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("two deployers got different keys: %x %x (%v)", k1, k2, err)
	}
	if _, err := s.Append(ctx, rec("dev1", "ka", "fe")); err != nil {
		t.Fatal(err)
	}
	body, _ := getObject(t, srv.Client(), "kickoff/ledger/last.json")
	keyText, _ := getObject(t, srv.Client(), "kickoff/ledger/hash.key")
	if strings.Contains(body, strings.TrimSpace(keyText)) {
		t.Error("the key is in last.json")
	}
	recs, err := s.List(ctx, Filter{})
	if err != nil || len(recs) != 1 {
		t.Errorf("hash.key is read as a record: %v %v", recs, err)
	}
}
