package gitrepo

// ShortIDLen is how many characters of a commit id kickoff shows: more than git's minimum of
// 7, so ids stay unambiguous in repositories the size of the platform's (git itself lengthens
// its abbreviations as a repository grows), and the same in every table, message and page.
const ShortIDLen = 12

// ShortID is id cut to ShortIDLen characters for people to read (ids shorter than that, as
// typed by a user, are returned as they are).
func ShortID(id string) string {
	if len(id) > ShortIDLen {
		return id[:ShortIDLen]
	}
	return id
}
