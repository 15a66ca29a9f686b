package replay

// Verify's two ways, for tests that compare them.
var (
	VerifyFast    = verifyFast
	VerifyInOrder = verifyInOrder
)
