package ledger

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

func TestS3HashKeyIsSharedAndNeverInTheIndex(t *testing.T) {
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
	body, _ := getObject(t, srv.Client(), "kickoff/ledger/index.json")
	keyText, _ := getObject(t, srv.Client(), "kickoff/ledger/hash.key")
	if strings.Contains(body, strings.TrimSpace(keyText)) {
		t.Error("the key is in the index")
	}
	recs, err := s.List(ctx, Filter{})
	if err != nil || len(recs) != 1 {
		t.Errorf("hash.key is read as a record: %v %v", recs, err)
	}
}
