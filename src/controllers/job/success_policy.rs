//! `successPolicy` of Indexed Jobs, after `pkg/controller/job/success_policy.go`.

use std::collections::BTreeSet;

use crate::cluster::model::SuccessRule;

/// `matchSuccessPolicy`: the index of the first rule the succeeded indexes satisfy.
pub fn match_success_policy(rules: &[SuccessRule], completed: &BTreeSet<i32>) -> Option<usize> {
    rules.iter().position(|r| {
        let in_listed = |ix: &i32| {
            r.succeeded_indexes
                .as_ref()
                .is_none_or(|iv| iv.iter().any(|(a, b)| a <= ix && ix <= b))
        };
        match (&r.succeeded_indexes, r.succeeded_count) {
            (Some(iv), None) => iv
                .iter()
                .all(|(a, b)| (*a..=*b).all(|ix| completed.contains(&ix))),
            (None, Some(n)) => completed.len() as i64 >= i64::from(n),
            (Some(_), Some(n)) => {
                completed.iter().filter(|ix| in_listed(ix)).count() as i64 >= i64::from(n)
            }
            (None, None) => false,
        }
    })
}
