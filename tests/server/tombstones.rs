//! tombstones
