//! Invalid documents: the reference checker's first error is exactly at the
//! offset the mutation promised.

use proptest::prelude::*;
use witness_oracle::invalid_document;

use crate::reference;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn invalid_documents_fail_exactly_at_their_offset(invalid in invalid_document()) {
        let actual = reference::parse(&invalid.text).err();
        prop_assert_eq!(actual, Some(invalid.offset), "{}", invalid.mutation);
    }
}
