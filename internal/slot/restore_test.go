package slot

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// What a restore refuses of a record before anything changes.
func TestVerifyRecord(t *testing.T) {
	cfg := config.Default()
	cfg.Apps = map[string]config.App{"be": {Image: "acme-be", Port: 8080}, "fe": {Image: "acme-fe", Port: 8080}}
	s := &Service{Cfg: cfg}
	digest := "sha256:" + strings.Repeat("0a", 32)
	good := func() ledger.Record {
		return ledger.Record{ID: "01X", Slot: "dev1", Kickoff: "kickoff-261120-alpha", Version: "0.1.0", Commit: strings.Repeat("c", 40),
			Apps: []ledger.App{{Name: "be", Image: "acme-be:t", Digest: digest}, {Name: "fe", Image: "acme-fe:t", Digest: digest}}}
	}
	for _, tc := range []struct {
		name   string
		change func(r *ledger.Record)
		slot   string
		want   string // "" accepts
	}{
		{"as released", func(*ledger.Record) {}, "dev1", ""},
		{"another slot's record", func(*ledger.Record) {}, "dev2", `it is a record of slot "dev1"`},
		{"an unconfigured slot", func(r *ledger.Record) { r.Slot = "prod" }, "prod", `unknown slot "prod"`},
		{"no app", func(r *ledger.Record) { r.Apps = nil }, "dev1", "it names no app"},
		{"an unknown app", func(r *ledger.Record) { r.Apps[0].Name = "miner" }, "dev1", `app "miner" is not configured (apps: be, fe)`},
		{"an app twice", func(r *ledger.Record) { r.Apps[1] = r.Apps[0] }, "dev1", "app be appears twice"},
		{"a tag for a digest", func(r *ledger.Record) { r.Apps[0].Digest = "latest" }, "dev1", `app be: digest "latest" is not sha256:`},
		{"another repository", func(r *ledger.Record) { r.Apps[1].Image = "evil/rootkit:1" }, "dev1", `app fe: image "evil/rootkit:1" is not of the configured repository acme-fe`},
		{"a short commit", func(r *ledger.Record) { r.Commit = "abc1234" }, "dev1", `commit "abc1234" is not a full commit id`},
		{"an interpolation in the kickoff", func(r *ledger.Record) { r.Kickoff = "${AWS_SECRET_ACCESS_KEY}" }, "dev1", "is not a branch or ref name"},
		{"a newline in the version", func(r *ledger.Record) { r.Version = "1\nprivileged: true" }, "dev1", "is not a version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := good()
			tc.change(&r)
			err := s.verifyRecord(tc.slot, &r)
			var re *RecordError
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (!errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing changed")):
				t.Errorf("error %v, want a RecordError with %q", err, tc.want)
			}
		})
	}
}

// Every variable of every service by name, from environment: and env_file (also a file
// outside the repository), each value hashed; no value in what is recorded.
func TestEnvHashes(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "home", ".aws", "credentials")
	if err := os.MkdirAll(filepath.Dir(creds), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("AWS_SECRET_ACCESS_KEY=s3cr3t-aws\nSHARED=from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	model := []byte(`services:
  db:
    environment:
      MYSQL_ROOT_PASSWORD: s3cr3t-db
      SHARED: from-environment
    env_file:
      - path: ` + creds + `
        required: true
      - path: ` + filepath.Join(dir, "missing.env") + `
        required: false
  web:
    environment: ["TOKEN=s3cr3t-web"]
    env_file: ` + creds + `
  cache:
    image: redis
`)
	h := ledger.NewHasher(bytes.Repeat([]byte{7}, 32))
	got, err := envHashes(h, model)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"db":  {"MYSQL_ROOT_PASSWORD": "s3cr3t-db", "SHARED": "from-environment", "AWS_SECRET_ACCESS_KEY": "s3cr3t-aws"},
		"web": {"TOKEN": "s3cr3t-web", "AWS_SECRET_ACCESS_KEY": "s3cr3t-aws", "SHARED": "from-file"},
	}
	if len(got) != len(want) {
		t.Fatalf("services %v, want db and web", got)
	}
	for svc, vars := range want {
		if len(got[svc]) != len(vars) {
			t.Errorf("%s: %v, want %d variables", svc, got[svc], len(vars))
		}
		for k, v := range vars {
			if got[svc][k] != h.Sum([]byte(v)) {
				t.Errorf("%s %s: %q, want the hash of its value", svc, k, got[svc][k])
			}
			if strings.Contains(got[svc][k], v) {
				t.Errorf("%s %s holds its value", svc, k)
			}
		}
	}
	model = append(model, []byte("  worker:\n    env_file: "+filepath.Join(dir, "missing.env")+"\n")...)
	if _, err := envHashes(h, model); err == nil {
		t.Error("a required env_file that is missing: no error")
	}
}
