package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/kickoffhq/kickoff/internal/awsenv"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// DefaultKeep is how many of the newest records the s3 backend's index holds in full.
const DefaultKeep = 100

// S3Store keeps every record as its own object <prefix>records/<id>.json (written once, never
// changed, so nothing is lost) plus <prefix>index.json (s3index.go): the replay of every
// record but the newest folded into slot state, and the newest Keep records in full. Every
// Append rewrites the index with a conditional write (If-Match on the ETag it read, or
// If-None-Match: * when it was absent) and retries when another deployer won the race, so a
// state read costs two requests (the index, and a listing of the records written since)
// however many records the bucket holds.
type S3Store struct {
	Client *s3.Client
	Bucket string
	Prefix string // e.g. "kickoff/ledger/"; a trailing slash is added when missing
	Keep   int    // 0: DefaultKeep
	// MaxAttempts bounds the retries of the index update; 0: retry.Race's.
	MaxAttempts int
	// Warn receives non-fatal problems (a damaged index, a record skipped); nil logs through slog.
	Warn func(msg string)

	// seen caches record objects by key: they are written once and never change, so a
	// long-running reader (the dashboard) fetches each only once.
	seen sync.Map
}

// NewS3Client builds an S3 client from the standard AWS environment (awsenv.Load). With
// endpoint set (ledger.endpoint: tests, LocalStack, MinIO) it talks to that URL; any custom
// endpoint (that one, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) is addressed path-style, as
// those servers expect.
func NewS3Client(ctx context.Context, region, endpoint string, wrap awsenv.Wrap) (*s3.Client, error) {
	cfg, err := awsenv.Load(ctx, awsenv.Options{Region: region, Retry: retry.Service, Wrap: wrap})
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration for the s3 ledger: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		if o.BaseEndpoint != nil {
			o.UsePathStyle = true
		}
	}), nil
}

func (s *S3Store) prefix() string {
	p := s.Prefix
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

func (s *S3Store) keep() int {
	if s.Keep > 0 {
		return s.Keep
	}
	return DefaultKeep
}

func (s *S3Store) recordsPrefix() string      { return s.prefix() + "records/" }
func (s *S3Store) recordKey(id string) string { return s.recordsPrefix() + id + ".json" }

func (s *S3Store) warn(msg string) { warn(s.Warn, msg) }

// Append stores r as its own object, then adds it to the index.
func (s *S3Store) Append(ctx context.Context, r Record) (Record, error) {
	r, body, err := prepare(r)
	if err != nil {
		return r, err
	}
	if !isULID(r.ID) {
		return r, fmt.Errorf("ledger record id %q is not a ULID", r.ID)
	}
	_, err = s.Client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &s.Bucket, Key: aws.String(s.recordKey(r.ID)), Body: bytes.NewReader(body),
		ContentType: aws.String("application/json"), IfNoneMatch: aws.String("*"),
	})
	if err != nil {
		if isPrecondition(err) {
			return r, fmt.Errorf("ledger record %s already exists in s3://%s/%s", r.ID, s.Bucket, s.prefix())
		}
		return r, s.explain(err, "write ledger record")
	}
	s.seen.Store(s.recordKey(r.ID), r)
	if err := s.addToIndex(ctx, r); err != nil {
		return r, fmt.Errorf("%w (the record itself is saved as s3://%s/%s, and readers find it)", err, s.Bucket, s.recordKey(r.ID))
	}
	return r, nil
}

// List returns records passing f, newest first: from the index's newest records, then for
// one slot the ids the index keeps of its older records; past those (or filtered by kickoff
// or app beyond the newest Keep) from the record objects themselves.
func (s *S3Store) List(ctx context.Context, f Filter) ([]Record, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Record, 0)
	for _, r := range v.idx.Recent {
		if len(out) < f.limit() && f.Match(r) {
			out = append(out, r)
		}
	}
	base := v.idx.Base
	if len(out) >= f.limit() || base.Through == "" {
		return out, nil
	}
	if f.Slot != "" && f.Kickoff == "" && f.App == "" {
		sf := base.Slots[f.Slot]
		if sf == nil {
			return out, nil
		}
		need := f.limit() - len(out)
		if len(sf.Recent) >= need || len(sf.Recent) == sf.Count {
			keys := make([]string, 0, min(need, len(sf.Recent)))
			for _, id := range sf.Recent[:min(need, len(sf.Recent))] {
				keys = append(keys, s.recordKey(id))
			}
			recs, err := s.getRecords(ctx, keys)
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				if f.Match(r) {
					out = append(out, r)
				}
			}
			return out, nil
		}
	}
	// Past what the index keeps: read the record objects, reusing those the index holds.
	for _, r := range v.idx.Recent {
		s.seen.Store(s.recordKey(r.ID), r)
	}
	return s.fromRecords(ctx, f)
}

// Replay is the index's replay continued with its newest records: two requests (the index
// and the listing of records written since) whatever the ledger's size.
func (s *S3Store) Replay(ctx context.Context) (*Replay, error) {
	v, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	p := v.idx.Base
	for i := len(v.idx.Recent) - 1; i >= 0; i-- {
		p.Add(v.idx.Recent[i])
	}
	return &p, nil
}

// fromRecords lists every record object and reads them newest first until f's limit is met.
func (s *S3Store) fromRecords(ctx context.Context, f Filter) ([]Record, error) {
	keys, err := s.listKeys(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]Record, 0)
	// Newest first, a batch at a time, so a small limit reads little.
	for end := len(keys); end > 0 && len(out) < f.limit(); {
		start := max(0, end-max(f.limit()-len(out), 16))
		batch := slices.Clone(keys[start:end])
		slices.Reverse(batch)
		recs, err := s.getRecords(ctx, batch)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			if len(out) < f.limit() && f.Match(r) {
				out = append(out, r)
			}
		}
		end = start
	}
	return out, nil
}

// listKeys lists the record objects' keys after startAfter (a key; "" from the first), in
// key order, which is id order.
func (s *S3Store) listKeys(ctx context.Context, startAfter string) ([]string, error) {
	in := &s3.ListObjectsV2Input{Bucket: &s.Bucket, Prefix: aws.String(s.recordsPrefix())}
	if startAfter != "" {
		in.StartAfter = aws.String(startAfter)
	}
	var keys []string
	p := s3.NewListObjectsV2Paginator(s.Client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, s.explain(err, "list ledger records")
		}
		for _, o := range page.Contents {
			if strings.HasSuffix(aws.ToString(o.Key), ".json") {
				keys = append(keys, aws.ToString(o.Key))
			}
		}
	}
	slices.Sort(keys)
	return keys, nil
}

// getRecords reads the record objects of keys (a few at a time, each once per process),
// in the order given, skipping with a warning any that is not a valid record stored under
// its own id.
func (s *S3Store) getRecords(ctx context.Context, keys []string) ([]Record, error) {
	recs := make([]*Record, len(keys))
	errs := make([]error, len(keys))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, key := range keys {
		if v, ok := s.seen.Load(key); ok {
			r := v.(Record)
			recs[i] = &r
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			recs[i], errs[i] = s.getRecord(ctx, key)
		}()
	}
	wg.Wait()
	out := make([]Record, 0, len(keys))
	for i := range keys {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if recs[i] != nil {
			out = append(out, *recs[i])
		}
	}
	return out, nil
}

// getRecord reads one record object: nil (after a warning) when it is not a valid record
// stored under its own id.
func (s *S3Store) getRecord(ctx context.Context, key string) (*Record, error) {
	obj, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: &key})
	if err != nil {
		if apiCode(err) == "NoSuchKey" {
			s.warn(fmt.Sprintf("ledger s3://%s/%s is gone; skipped it", s.Bucket, key))
			return nil, nil
		}
		return nil, s.explain(err, "read ledger record "+key)
	}
	data, err := io.ReadAll(io.LimitReader(obj.Body, maxRecordSize+1))
	obj.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", s.Bucket, key, err)
	}
	var r Record
	if len(data) > maxRecordSize {
		s.warn(fmt.Sprintf("ledger s3://%s/%s is larger than %d bytes; skipped it", s.Bucket, key, maxRecordSize))
		return nil, nil
	}
	if err := json.Unmarshal(data, &r); err != nil {
		s.warn(fmt.Sprintf("ledger s3://%s/%s is not a ledger record; skipped it", s.Bucket, key))
		return nil, nil
	}
	if err := r.check(); err != nil {
		s.warn(fmt.Sprintf("ledger s3://%s/%s is not a valid ledger record (%v); skipped it", s.Bucket, key, err))
		return nil, nil
	}
	if key != s.recordKey(r.ID) || !isULID(r.ID) {
		s.warn(fmt.Sprintf("ledger s3://%s/%s holds record %q: a record is stored under its own id (a ULID); skipped it", s.Bucket, key, r.ID))
		return nil, nil
	}
	s.seen.Store(key, r)
	return &r, nil
}

// ErrBucketMissing and ErrAccessDenied classify S3 failures users must fix themselves.
var (
	ErrBucketMissing = errors.New("S3 bucket does not exist")
	ErrAccessDenied  = errors.New("access to the S3 bucket denied")
)

func (s *S3Store) explain(err error, doing string) error {
	code := apiCode(err)
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	switch {
	case code == "NoSuchBucket":
		return fmt.Errorf("%s: %w: %q (create it, e.g. `aws s3 mb s3://%s`, or fix ledger.bucket in .kickoff.yaml)", doing, ErrBucketMissing, s.Bucket, s.Bucket)
	case retry.CertificateError(err):
		return fmt.Errorf("%s in s3://%s: %w (the endpoint's TLS certificate is not trusted: if it is signed by your own CA, set AWS_CA_BUNDLE to that CA's PEM file)", doing, s.Bucket, err)
	case code == "AccessDenied" || code == "Forbidden" || status == http.StatusForbidden:
		return fmt.Errorf("%s: %w: s3://%s/%s (check the AWS credentials kickoff runs with, e.g. AWS_PROFILE, and that they allow s3:GetObject, s3:PutObject and s3:ListBucket there)", doing, ErrAccessDenied, s.Bucket, s.prefix())
	}
	return fmt.Errorf("%s in s3://%s: %w", doing, s.Bucket, err)
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// isPrecondition reports a lost conditional write: 412 PreconditionFailed, or S3's 409
// ConditionalRequestConflict when two conditional writes overlap.
func isPrecondition(err error) bool {
	switch apiCode(err) {
	case "PreconditionFailed", "ConditionalRequestConflict":
		return true
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && (re.HTTPStatusCode() == http.StatusPreconditionFailed)
}
