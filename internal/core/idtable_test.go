package core

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
)

func TestIsDirtyAgreesWithTheDirtyMarks(t *testing.T) {
	var tb IDTable
	require.False(t, tb.IsDirty(5), "no page")
	tb.pageFor(5)
	require.False(t, tb.IsDirty(5))
	require.False(t, tb.IsDirty(6))
	require.True(t, tb.MarkDirty(5))
	require.True(t, tb.IsDirty(5))
	require.False(t, tb.IsDirty(6))
	require.False(t, tb.IsDirty(5+64), "another word")
	require.False(t, tb.MarkDirty(5))
	tb.Flushed(5, 0)
	require.False(t, tb.IsDirty(5))
	require.False(t, tb.IsDirty(components.ID(PageSize*9)), "beyond the directory")
}
