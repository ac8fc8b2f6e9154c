package radar

import (
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// CacheFile is the cache's file name inside the state folder.
const CacheFile = "radar.db"

// cacheVersion changes whenever what is cached changes meaning (v3: values carry a
// checksum); a file of another version is set aside.
const cacheVersion = "v3"

var (
	bucketBases   = []byte("bases-" + cacheVersion)
	bucketChanges = []byte("changes-" + cacheVersion)
	bucketPairs   = []byte("pairs-" + cacheVersion)
	bucketMeta    = []byte("meta-" + cacheVersion)
	bucketCommits = []byte("commits-" + cacheVersion) // parents and time of commits walked (nodeValue)
)

// cache keeps results keyed by commit ids, which never change meaning: merge bases of
// two commits, a commit's changes against a base, a pair's verdict. A moved kickoff has a
// new commit id, so only its pairs are computed again.
//
// What it reads back is untrusted: the file may be truncated by a full disk, hold pages
// of garbage, come from another version, or be a link planted elsewhere. Each value
// carries a checksum of its key and bytes, so a damaged one is a miss, never a verdict;
// a file bbolt cannot open, or one that panics it while reading, is set aside as
// radar.db.broken with a warning naming it, and the next run starts a new one.
type cache struct {
	db     *bolt.DB
	path   string
	mu     sync.Mutex
	broken error // set once the file proved damaged: reads miss, writes are skipped
}

// bucketFormat holds the cache's format; a file with another (or none) is set aside.
var bucketFormat = []byte("kickoff-radar")

// maxCacheValue bounds a value read back: the largest change sets take a few MB.
const maxCacheValue = 64 << 20

// openCache opens (creating) dir/radar.db. bbolt commits a transaction by writing the
// new pages, syncing them, then switching its meta page and syncing again: a crash
// leaves the last committed state whole. Another kickoff holding the file for more than a
// second is not fatal: the caller runs without a cache.
func openCache(dir string) (*cache, error) {
	if _, err := gitrepo.StateFolder(dir, ""); err != nil {
		return nil, err
	}
	p := filepath.Join(dir, CacheFile)
	c, err := tryOpenCache(p)
	var d *damagedCache
	if errors.As(err, &d) {
		setAside(p, d.err)
		c, err = tryOpenCache(p)
	}
	if err != nil {
		return nil, fmt.Errorf("open cache %s: %w", p, err)
	}
	return c, nil
}

// damagedCache is a cache file that cannot be used as it is.
type damagedCache struct{ err error }

func (d *damagedCache) Error() string { return d.err.Error() }

// tryOpenCache opens p; a damagedCache error says to set it aside.
func tryOpenCache(p string) (c *cache, err error) {
	if st, lerr := os.Lstat(p); lerr == nil && !st.Mode().IsRegular() {
		return nil, &damagedCache{fmt.Errorf("not a regular file (%s)", st.Mode().Type())}
	}
	if err := checkBoltFile(p); err != nil {
		return nil, &damagedCache{err}
	}
	// A page of garbage makes bbolt panic, or fault on a wild page id: both become a
	// damaged cache, not a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if c != nil {
				c.db.Close()
			}
			c, err = nil, &damagedCache{fmt.Errorf("bbolt panicked: %v", r)}
		}
	}()
	// The free list is written with each commit: without it bbolt rebuilds it at open by
	// walking every page in a goroutine of its own, where a garbage page panics the
	// process beyond any recover.
	opts := &bolt.Options{Timeout: time.Second}
	db, err := bolt.Open(p, gitrepo.StateFileMode, opts)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, err
	}
	if err != nil {
		return nil, &damagedCache{err}
	}
	c = &cache{db: db, path: p}
	// Opening only reads: a new file gets its format and buckets with the first write
	// (see prepareBuckets), so a run costs one write transaction (two syncs of the file).
	err = db.View(func(tx *bolt.Tx) error {
		f := tx.Bucket(bucketFormat)
		if f == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return &damagedCache{errors.New("written by another version of kickoff")}
			}
		} else if v := f.Get([]byte("format")); string(v) != cacheVersion {
			return &damagedCache{fmt.Errorf("format %q, this kickoff writes %q", truncate(string(v), 20), cacheVersion)}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return c, nil
}

// prepareBuckets gives a new file its format and buckets, in the transaction of its first
// write.
func prepareBuckets(tx *bolt.Tx) error {
	if tx.Bucket(bucketFormat) == nil {
		f, err := tx.CreateBucket(bucketFormat)
		if err != nil {
			return err
		}
		if err := f.Put([]byte("format"), []byte(cacheVersion)); err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bucketBases, bucketChanges, bucketPairs, bucketMeta, bucketCommits} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// setAside moves a damaged cache file out of the way (replacing an older one set aside),
// so that the next open starts a new one and the damaged one can still be looked at.
func setAside(p string, why error) {
	to := p + ".broken"
	if err := os.Rename(p, to); err != nil {
		if rerr := os.Remove(p); rerr != nil {
			slog.Warn("the radar cache is damaged and cannot be moved or deleted; running without it", "file", p, "err", why, "remove", rerr)
			return
		}
		to = "(deleted)"
	}
	slog.Warn("the radar cache was damaged: set aside, a new one is built", "file", p, "moved_to", to, "err", why)
}

// fail records that the file is damaged (once) and warns; Close then sets it aside.
func (c *cache) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken == nil {
		c.broken = err
		slog.Warn("the radar cache is damaged: running without it, it is rebuilt on the next run", "file", c.path, "err", err)
	}
}

func (c *cache) failed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.broken != nil
}

func (c *cache) Close() error {
	if c == nil {
		return nil
	}
	err := c.db.Close()
	if c.broken != nil {
		setAside(c.path, c.broken)
	}
	return err
}

// seal appends the checksum of key and value; unseal checks and strips it.
func seal(key string, data []byte) []byte {
	crc := crc32.Update(crc32.Checksum([]byte(key), castagnoli), castagnoli, data)
	return binary.BigEndian.AppendUint32(data, crc)
}

func unseal(key string, data []byte) ([]byte, bool) {
	if len(data) < 4 || len(data) > maxCacheValue {
		return nil, false
	}
	body := data[:len(data)-4]
	crc := crc32.Update(crc32.Checksum([]byte(key), castagnoli), castagnoli, body)
	return body, crc == binary.BigEndian.Uint32(data[len(data)-4:])
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// get decodes what is stored under key into v (JSON, or v's own binary form when it has
// one); false when absent, damaged or unreadable.
func (c *cache) get(bucket []byte, key string, v any) (found bool) {
	if c == nil || c.failed() {
		return false
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			c.fail(fmt.Errorf("reading %s/%s: %v", bucket, truncate(key, 40), r))
			found = false
		}
	}()
	_ = c.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		sealed := b.Get([]byte(key))
		if sealed == nil {
			return nil
		}
		data, ok := unseal(key, sealed)
		if !ok {
			c.fail(fmt.Errorf("a value under %s/%s fails its checksum", bucket, truncate(key, 40)))
			return nil
		}
		found = decodeValue(data, v)
		return nil
	})
	return found
}

// decodeValue decodes a value read back from the cache into v.
func decodeValue(data []byte, v any) bool {
	if b, ok := v.(encoding.BinaryUnmarshaler); ok {
		return b.UnmarshalBinary(data) == nil
	}
	return json.Unmarshal(data, v) == nil
}

// putAll stores many entries in one transaction.
func (c *cache) putAll(bucket []byte, entries map[string]any) error {
	return c.putBuckets(map[string]map[string]any{string(bucket): entries})
}

// putBuckets stores entries of several buckets in one transaction.
func (c *cache) putBuckets(buckets map[string]map[string]any) (err error) {
	if c == nil || c.failed() {
		return nil
	}
	n := 0
	for _, es := range buckets {
		n += len(es)
	}
	if n == 0 {
		return nil
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("writing: %v", r)
			c.fail(err)
		}
	}()
	return c.db.Update(func(tx *bolt.Tx) error {
		if err := prepareBuckets(tx); err != nil {
			return err
		}
		for name, entries := range buckets {
			b := tx.Bucket([]byte(name))
			if b == nil {
				return errors.New("cache bucket missing")
			}
			for k, v := range entries {
				var data []byte
				var err error
				if b, ok := v.(encoding.BinaryMarshaler); ok {
					data, err = b.MarshalBinary()
				} else {
					data, err = json.Marshal(v)
				}
				if err != nil {
					return err
				}
				if err := b.Put([]byte(k), seal(k, data)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// storeRun writes what this run computed (merge bases, change sets, peeled refs) and
// the new verdicts in one transaction.
func (e *Engine) storeRun(pairs map[string]any) {
	sets := map[string]any{}
	for _, k := range e.pendingSets {
		sets[k[0].String()+":"+k[1].String()] = e.sets[k]
	}
	commits := map[string]any{}
	for h, v := range e.graph.fresh {
		commits[h.String()] = v
	}
	err := e.cache.putBuckets(map[string]map[string]any{
		string(bucketBases): e.pendingBases, string(bucketChanges): sets,
		string(bucketMeta): e.pendingMeta, string(bucketPairs): pairs,
		string(bucketCommits): commits,
	})
	if err != nil {
		slog.Warn("could not write the radar cache", "err", err)
	}
	e.pendingSets, e.pendingBases, e.pendingMeta = nil, map[string]any{}, map[string]any{}
	clear(e.graph.fresh)
}
