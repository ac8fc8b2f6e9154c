package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/ledger/s3test"
)

func init() {
	// ledger-seed FILE: append every JSON line of FILE (a ledger.Record) to the ledger the
	// repository in the current directory is configured with, as a deploy would.
	scriptCmds["ledger-seed"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: ledger-seed FILE")
		}
		st := scriptLedger(ts)
		f, err := os.Open(ts.MkAbs(args[0]))
		ts.Check(err)
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			var r ledger.Record
			ts.Check(json.Unmarshal([]byte(line), &r))
			_, err := st.Append(context.Background(), r)
			if neg {
				if err == nil {
					ts.Fatalf("ledger-seed: append succeeded")
				}
				return
			}
			ts.Check(err)
		}
		ts.Check(sc.Err())
	}
	// ledger-tear TEXT: append TEXT without a newline to the file ledger, as a writer killed
	// mid-line leaves it.
	scriptCmds["ledger-tear"] = func(ts *testscript.TestScript, neg bool, args []string) {
		st, ok := scriptLedger(ts).(*ledger.FileStore)
		if !ok || len(args) != 1 {
			ts.Fatalf("usage: ledger-tear TEXT (file ledger only)")
		}
		f, err := os.OpenFile(st.Path(), os.O_WRONLY|os.O_APPEND, 0)
		ts.Check(err)
		_, err = f.WriteString(args[0])
		ts.Check(err)
		ts.Check(f.Close())
	}
	// ledger-raw FILE: store every line of FILE as it is, unchecked, as another writer of the
	// shared ledger could: appended to the file ledger, or one record object each in the
	// s3 ledger's bucket.
	scriptCmds["ledger-raw"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 1 {
			ts.Fatalf("usage: ledger-raw FILE")
		}
		data, err := os.ReadFile(ts.MkAbs(args[0]))
		ts.Check(err)
		switch st := scriptLedger(ts).(type) {
		case *ledger.FileStore:
			f, err := os.OpenFile(st.Path(), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
			ts.Check(err)
			_, err = f.Write(data)
			ts.Check(err)
			ts.Check(f.Close())
		case *ledger.S3Store:
			// Each line becomes a record object under its id ("raw-N" when it has none),
			// and the index goes, as if an older kickoff or a stranger wrote the bucket:
			// the next reader rebuilds it from the record objects.
			ctx := context.Background()
			prefix := st.Prefix
			if prefix != "" && !strings.HasSuffix(prefix, "/") {
				prefix += "/"
			}
			for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				var r struct{ ID string }
				if json.Unmarshal([]byte(line), &r) != nil || r.ID == "" || strings.ContainsAny(r.ID, "/.") {
					r.ID = fmt.Sprintf("raw-%d", i)
				}
				key := prefix + "records/" + r.ID + ".json"
				_, err := st.Client.PutObject(ctx, &s3.PutObjectInput{Bucket: &st.Bucket, Key: &key, Body: strings.NewReader(line)})
				ts.Check(err)
			}
			index := prefix + "index.json"
			_, err := st.Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &st.Bucket, Key: &index})
			ts.Check(err)
		default:
			ts.Fatalf("ledger-raw: unknown ledger %T", st)
		}
	}
	// jira-comments KEY: print the comments of an issue of the fake Jira (jira start), one
	// per line.
	scriptCmds["jira-comments"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 1 {
			ts.Fatalf("usage: jira-comments KEY")
		}
		for _, b := range jiraFake(ts).CommentBodies(args[0]) {
			fmt.Fprintln(ts.Stdout(), b)
		}
	}
	// s3-cat: print every object of the s3 ledger's bucket, each as its key and its body,
	// so a script can check what the bucket holds.
	scriptCmds["s3-cat"] = func(ts *testscript.TestScript, neg bool, args []string) {
		st, ok := scriptLedger(ts).(*ledger.S3Store)
		if !ok || neg || len(args) != 0 {
			ts.Fatalf("usage: s3-cat (s3 ledger only)")
		}
		ctx := context.Background()
		list, err := st.Client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &st.Bucket})
		ts.Check(err)
		for _, o := range list.Contents {
			obj, err := st.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &st.Bucket, Key: o.Key})
			ts.Check(err)
			body, err := io.ReadAll(obj.Body)
			obj.Body.Close()
			ts.Check(err)
			fmt.Fprintf(ts.Stdout(), "== %s\n%s\n", *o.Key, body)
		}
	}
	// fakes3 [-tls] BUCKET...: start an in-process S3 server holding the buckets and point the
	// s3 ledger at it (KICKOFF_LEDGER_* and AWS_* variables; the first bucket is used). With
	// -tls it serves HTTPS with a certificate of its own, written to $WORK/s3-ca.pem and
	// named by AWS_CA_BUNDLE, as a company's proxy or a private endpoint would.
	scriptCmds["fakes3"] = func(ts *testscript.TestScript, neg bool, args []string) {
		tls := len(args) > 0 && args[0] == "-tls"
		if tls {
			args = args[1:]
		}
		if len(args) == 0 {
			ts.Fatalf("usage: fakes3 [-tls] BUCKET...")
		}
		start := s3test.New
		if tls {
			start = s3test.NewTLS
		}
		srv, err := start(args...)
		ts.Check(err)
		ts.Defer(srv.Close)
		for _, kv := range srv.Env(args[0]) {
			k, v, _ := strings.Cut(kv, "=")
			ts.Setenv(k, v)
		}
		if tls {
			ca := ts.MkAbs("s3-ca.pem")
			ts.Check(srv.WriteCA(ca))
			ts.Setenv("AWS_CA_BUNDLE", ca)
		}
		s3Fakes.Store(ts, srv)
		ts.Defer(func() { s3Fakes.Delete(ts) })
	}
	// s3-access-key: print the access key id the fake S3's last signed request carried (an
	// id, not a secret): which credentials kickoff found.
	scriptCmds["s3-access-key"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 0 {
			ts.Fatalf("usage: s3-access-key")
		}
		fmt.Fprintln(ts.Stdout(), s3Fake(ts).AccessKey())
	}
}

// s3Fakes are the fake S3 servers of running scripts (fakes3), by script.
var s3Fakes sync.Map

func s3Fake(ts *testscript.TestScript) *s3test.Server {
	srv, ok := s3Fakes.Load(ts)
	if !ok {
		ts.Fatalf("no fake S3: run `fakes3 BUCKET` first")
	}
	return srv.(*s3test.Server)
}

func init() {
	// ledger-bulk N: store N release records straight into the fake S3 bucket of the s3
	// ledger (no requests, no index, as years of deploys would leave it): one every ten
	// minutes up to an hour ago, alternating dev1 and dev2, apps be and fe.
	scriptCmds["ledger-bulk"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 1 {
			ts.Fatalf("usage: ledger-bulk N")
		}
		n, err := strconv.Atoi(args[0])
		ts.Check(err)
		st, ok := scriptLedger(ts).(*ledger.S3Store)
		if !ok {
			ts.Fatalf("ledger-bulk: s3 ledger only")
		}
		prefix := st.Prefix
		if prefix != "" && !strings.HasSuffix(prefix, "/") {
			prefix += "/"
		}
		srv := s3Fake(ts)
		start := time.Now().Add(-time.Hour - time.Duration(n)*10*time.Minute)
		for i := range n {
			k := fmt.Sprintf("kickoff-261101-bulk%d", i)
			r := ledger.Record{Time: start.Add(time.Duration(i) * 10 * time.Minute).UTC(), Actor: "ann@example.com",
				Action: ledger.ActionRelease, Slot: fmt.Sprintf("dev%d", i%2+1), Kickoff: k, Outcome: ledger.OutcomeSucceeded,
				Apps: []ledger.App{{Name: "be", Kickoff: k, Image: "acme-be:" + k, Changed: true}, {Name: "fe", Kickoff: k, Image: "acme-fe:" + k, Changed: true}}}
			r.ID = ledger.NewID(r.Time)
			body, err := json.Marshal(r)
			ts.Check(err)
			_, err = srv.Backend.PutObject(st.Bucket, prefix+"records/"+r.ID+".json", map[string]string{}, bytes.NewReader(body), int64(len(body)), nil)
			ts.Check(err)
		}
	}
	// s3-requests reset | s3-requests max N: count the requests the fake S3 serves from a
	// reset; max fails when more than N came since, and prints how many.
	scriptCmds["s3-requests"] = func(ts *testscript.TestScript, neg bool, args []string) {
		srv := s3Fake(ts)
		switch {
		case len(args) == 1 && args[0] == "reset":
			srv.Requests.Store(0)
		case len(args) == 2 && args[0] == "max":
			limit, err := strconv.ParseInt(args[1], 10, 64)
			ts.Check(err)
			got := srv.Requests.Load()
			fmt.Fprintf(ts.Stdout(), "%d S3 requests\n", got)
			if (got > limit) != neg {
				ts.Fatalf("%d S3 requests, want at most %d", got, limit)
			}
		default:
			ts.Fatalf("usage: s3-requests reset | s3-requests max N")
		}
	}
}

// scriptLedger opens the ledger as kickoff would in the script's current directory.
func scriptLedger(ts *testscript.TestScript) ledger.Store {
	dir := ts.MkAbs(".")
	if !strings.HasPrefix(dir, ts.Getenv("WORK")) {
		ts.Fatalf("refusing to open a ledger outside $WORK: %s", dir)
	}
	var env []string
	for _, k := range []string{"KICKOFF_LEDGER_BACKEND", "KICKOFF_LEDGER_BUCKET", "KICKOFF_LEDGER_ENDPOINT", "KICKOFF_LEDGER_PREFIX", "KICKOFF_STATE_DIR"} {
		if v := ts.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	env = append(env, "KICKOFF_TIMEZONE=UTC")
	cfg, err := config.Load(dir, env)
	ts.Check(err)
	stateDir := ""
	if repo, err := gitrepo.Open(dir); err == nil {
		stateDir = repo.StateDir(cfg.StateDir)
	}
	if cfg.Ledger.Backend == "s3" {
		for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_EC2_METADATA_DISABLED", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
			os.Setenv(k, ts.Getenv(k)) // the SDK reads the process environment
		}
	}
	st, err := ledger.Open(cfg, stateDir)
	ts.Check(err)
	return st
}
