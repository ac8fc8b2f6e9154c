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
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/kickoffhq/kickoff/internal/retry"
)

// DefaultKeep is how many records the s3 backend keeps in its "last N" object.
const DefaultKeep = 100

// S3Store keeps every record as its own object <prefix>records/<id>.json (written once, never
// changed, so nothing is lost past N) plus <prefix>last.json, the newest Keep records, which
// every Append rewrites with a conditional write (If-Match on the ETag it read, or
// If-None-Match: * when it was absent) and retries when another deployer won the race.
type S3Store struct {
	Client *s3.Client
	Bucket string
	Prefix string // e.g. "kickoff/ledger/"; a trailing slash is added when missing
	Keep   int    // 0: DefaultKeep
	// MaxAttempts bounds the retries of the last-N update; 0: retry.Race's.
	MaxAttempts int
	// Warn receives non-fatal problems (a corrupt last-N object); nil logs through slog.
	Warn func(msg string)

	// seen caches record objects by key: they are written once and never change, so a
	// long-running reader (the dashboard) fetches each only once.
	seen sync.Map
}

// NewS3Client builds an S3 client from the usual AWS sources (environment, profile, instance
// role). With endpoint set (tests, LocalStack, MinIO) it talks to that URL with path-style
// addressing. httpClient may be nil.
func NewS3Client(ctx context.Context, region, endpoint string, httpClient *http.Client) (*s3.Client, error) {
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRetryer(retry.AWSRetryer(retry.Service))}
	if region != "" {
		opts = append(opts, awsconfig.WithRegion(region))
	}
	if httpClient != nil {
		opts = append(opts, awsconfig.WithHTTPClient(httpClient))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration for the s3 ledger: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
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

func (s *S3Store) recordKey(id string) string { return s.prefix() + "records/" + id + ".json" }
func (s *S3Store) lastKey() string            { return s.prefix() + "last.json" }

func (s *S3Store) warn(msg string) { warn(s.Warn, msg) }

// Append stores r as its own object, then adds it to the last-N object.
func (s *S3Store) Append(ctx context.Context, r Record) (Record, error) {
	r, body, err := prepare(r)
	if err != nil {
		return r, err
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
	if err := s.addToLast(ctx, r); err != nil {
		return r, fmt.Errorf("%w (the record itself is saved as s3://%s/%s)", err, s.Bucket, s.recordKey(r.ID))
	}
	return r, nil
}

func (s *S3Store) addToLast(ctx context.Context, r Record) error {
	policy := retry.Race.WithAttempts(s.MaxAttempts)
	_, err := retry.Do(ctx, policy, func(attempt int) (struct{}, error) {
		recs, etag, rebuilt, err := s.readLast(ctx)
		if err != nil {
			return struct{}{}, err
		}
		if slices.ContainsFunc(recs, func(x Record) bool { return x.ID == r.ID }) {
			if !rebuilt {
				return struct{}{}, nil // an earlier attempt did land
			}
		} else {
			recs = append(recs, r)
		}
		slices.SortFunc(recs, func(a, b Record) int { return strings.Compare(b.ID, a.ID) })
		if len(recs) > s.keep() {
			recs = recs[:s.keep()]
		}
		body, err := json.Marshal(recs)
		if err != nil {
			return struct{}{}, fmt.Errorf("encode last-%d object: %w", s.keep(), err)
		}
		in := &s3.PutObjectInput{
			Bucket: &s.Bucket, Key: aws.String(s.lastKey()), Body: bytes.NewReader(body),
			ContentType: aws.String("application/json"),
		}
		if etag == "" {
			in.IfNoneMatch = aws.String("*")
		} else {
			in.IfMatch = aws.String(etag)
		}
		_, err = s.Client.PutObject(ctx, in)
		switch {
		case err == nil:
			return struct{}{}, nil
		case isPrecondition(err):
			// Another deployer updated the object first: read it again and retry.
			return struct{}{}, retry.Again(err)
		}
		return struct{}{}, s.explain(err, "update the last-N ledger object")
	})
	var ex *retry.ExhaustedError
	if errors.As(err, &ex) {
		return fmt.Errorf("update s3://%s/%s: another deployer won the race %d times in a row; run the command again", s.Bucket, s.lastKey(), ex.Attempts)
	}
	return err
}

// readLast returns the last-N records (newest first) and the object's ETag ("" when absent);
// rebuilt says the object was unreadable and recs come from the record objects.
func (s *S3Store) readLast(ctx context.Context) (recs []Record, etag string, rebuilt bool, err error) {
	out, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: aws.String(s.lastKey())})
	if err != nil {
		if apiCode(err) == "NoSuchKey" {
			return nil, "", false, nil
		}
		return nil, "", false, s.explain(err, "read the last-N ledger object")
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, "", false, fmt.Errorf("read s3://%s/%s: %w", s.Bucket, s.lastKey(), err)
	}
	etag = aws.ToString(out.ETag)
	if err := json.Unmarshal(data, &recs); err != nil {
		// Every record also lives as its own object, so the index can be rebuilt from them.
		s.warn(fmt.Sprintf("ledger s3://%s/%s is not a JSON list of records (%v); rebuilding it from the record objects", s.Bucket, s.lastKey(), err))
		recs, err = s.fromRecords(ctx, Filter{Limit: s.keep()}, nil)
		if err != nil {
			return nil, "", true, err
		}
		return recs, etag, true, nil
	}
	valid := recs[:0]
	for _, r := range recs {
		if err := r.check(); err != nil {
			s.warn(fmt.Sprintf("ledger s3://%s/%s: record %q is not a valid ledger record (%v); skipped it", s.Bucket, s.lastKey(), r.ID, err))
			continue
		}
		valid = append(valid, r)
	}
	return valid, etag, false, nil
}

// List returns records passing f, newest first: from the last-N object when it holds enough,
// else from the record objects themselves.
func (s *S3Store) List(ctx context.Context, f Filter) ([]Record, error) {
	recs, _, _, err := s.readLast(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Record, 0)
	for _, r := range recs {
		if len(out) < f.limit() && f.Match(r) {
			out = append(out, r)
		}
	}
	if len(out) >= f.limit() || (len(recs) > 0 && len(recs) < s.keep()) {
		return out, nil
	}
	// Past the last N (or no index yet): read the record objects, reusing those the index holds.
	known := make(map[string]Record, len(recs))
	for _, r := range recs {
		known[s.recordKey(r.ID)] = r
	}
	return s.fromRecords(ctx, f, known)
}

// fromRecords lists every record object and reads them newest first until f's limit is met;
// known holds records already read, by key.
func (s *S3Store) fromRecords(ctx context.Context, f Filter, known map[string]Record) ([]Record, error) {
	var keys []string
	p := s3.NewListObjectsV2Paginator(s.Client, &s3.ListObjectsV2Input{Bucket: &s.Bucket, Prefix: aws.String(s.prefix() + "records/")})
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
	out := make([]Record, 0)
	for i := len(keys) - 1; i >= 0 && len(out) < f.limit(); i-- {
		if r, ok := known[keys[i]]; ok {
			if f.Match(r) {
				out = append(out, r)
			}
			continue
		}
		if v, ok := s.seen.Load(keys[i]); ok {
			r := v.(Record)
			if f.Match(r) {
				out = append(out, r)
			}
			continue
		}
		obj, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.Bucket, Key: &keys[i]})
		if err != nil {
			return nil, s.explain(err, "read ledger record "+keys[i])
		}
		data, err := io.ReadAll(obj.Body)
		obj.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read s3://%s/%s: %w", s.Bucket, keys[i], err)
		}
		var r Record
		if err := json.Unmarshal(data, &r); err != nil {
			s.warn(fmt.Sprintf("ledger s3://%s/%s is not a ledger record; skipped it", s.Bucket, keys[i]))
			continue
		}
		if err := r.check(); err != nil {
			s.warn(fmt.Sprintf("ledger s3://%s/%s is not a valid ledger record (%v); skipped it", s.Bucket, keys[i], err))
			continue
		}
		s.seen.Store(keys[i], r)
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out, nil
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
