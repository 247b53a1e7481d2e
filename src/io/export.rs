//! Writing the appraised result set.
