package names_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/names"
)

func TestCheck(t *testing.T) {
	for _, ok := range []string{"a", "shop_1", "EV_x", "A-b", strings.Repeat("z", names.MaxLen)} {
		assert.NoError(t, names.Check("world", ok), ok)
	}
	for _, bad := range []string{"", "a.b", "a*", ">", "a b", "é", strings.Repeat("z", names.MaxLen+1)} {
		err := names.Check("session", bad)
		require.ErrorIs(t, err, names.ErrBadName, "%q", bad)
		var ne *names.NameError
		require.ErrorAs(t, err, &ne)
		assert.Equal(t, "session", ne.What)
		assert.Equal(t, bad, ne.Name)
	}
}

// No stream or bucket name of one world or session is a name of another,
// over names chosen to collide under the old layouts (TICKECON_<s> for a
// session was TICKECON_EV_<w> for world EV_<w>'s... and the other way).
func TestStreamNamesNeverCollide(t *testing.T) {
	ids := []string{"x", "EV_x", "TASK_x", "IN_x", "DEAD_x", "S_x", "W_x", "W_EV_x", "FRAMES_x", "SNAP_x", "x_SNAP", "STATE_x", "LEASE_x", "EV", "_", "-"}
	seen := map[string]string{}
	add := func(name, owner string) {
		if prev, dup := seen[name]; dup {
			t.Fatalf("%s is both %s's and %s's", name, prev, owner)
		}
		seen[name] = owner
	}
	for _, id := range ids {
		w, s := names.World(id), names.Session(id)
		add(w.EventStream(), "world "+id)
		add(w.TaskStream(), "world "+id)
		add(w.InboxStream(), "world "+id)
		add(w.DeadStream(), "world "+id)
		add(s.FrameStream(), "session "+id)
		add(s.SnapshotBucket(), "session "+id)
		add(s.StateBucket(), "session "+id)
		add(s.LeaseBucket(), "session "+id)
	}
}

// Subjects: a world's wildcards never match a session's subjects, nor the
// other way, even when both have the same name.
func TestSubjectsNeverOverlap(t *testing.T) {
	for _, id := range []string{"x", "world", "session", "frames", "task"} {
		w, s := names.World(id), names.Session(id)
		worldWild := []string{w.EventSubjects(), w.TaskSubject(">"), w.InboxSubject(">"), w.DeadSubject(">")}
		sessSubj := []string{s.Frames(), s.Input("p"), s.Sum("p"), s.Hello("p"), s.Ctl("p"), s.Desync()}
		for _, wild := range worldWild {
			for _, subj := range sessSubj {
				assert.False(t, match(wild, subj), "%s matches %s", wild, subj)
			}
		}
		assert.False(t, match(s.Prefix()+">", w.EventSubject("frames")))
	}
}

// match is NATS subject matching ('*' one token, '>' the rest).
func match(pattern, subject string) bool {
	p, s := strings.Split(pattern, "."), strings.Split(subject, ".")
	for i, tok := range p {
		if tok == ">" {
			return len(s) > i
		}
		if i >= len(s) || (tok != "*" && tok != s[i]) {
			return false
		}
	}
	return len(p) == len(s)
}
