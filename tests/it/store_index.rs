//! The store's name indexes: lookups by (kind, namespace, name) and a CronJob's children by
//! owner name, across namespaces, kinds, look-alike names and removals.

use crate::cronjob::fixtures::*;
use batchsim::cluster::model::{Kind, Uid};
use batchsim::cluster::store::Store;

/// A Job named `name` in `ns` whose controller is the CronJob `owner` (in the same namespace),
/// under UID `uid` (the API server allocates UIDs; the store keeps the one it is given).
fn job(uid: u64, name: &str, ns: &str, owner: &str) -> batchsim::cluster::model::Job {
    let mut j = bare_job(name, 0, None);
    j.meta.uid = Uid(uid);
    j.meta.namespace = ns.into();
    if let Some(o) = j.meta.owner.as_mut() {
        o.namespace = ns.into();
        o.name = owner.into();
    }
    j
}

#[test]
fn names_are_found_by_kind_namespace_and_exact_name() {
    let mut store = Store::new();
    let a = store.insert_job(job(1, "a", "bc", "cron"));
    let b = store.insert_job(job(2, "ab", "c", "cron"));
    let c = store.insert_job(job(3, "a", "other", "cron"));
    assert_eq!((a, b, c), (Uid(1), Uid(2), Uid(3)));
    assert_eq!(store.uid_by_name(Kind::Job, "bc", "a"), Some(a));
    assert_eq!(store.uid_by_name(Kind::Job, "c", "ab"), Some(b));
    assert_eq!(store.uid_by_name(Kind::Job, "other", "a"), Some(c));
    // The namespace/name split matters, and so does the kind.
    assert_eq!(store.uid_by_name(Kind::Job, "b", "ca"), None);
    assert_eq!(store.uid_by_name(Kind::Job, "abc", ""), None);
    assert_eq!(store.uid_by_name(Kind::Pod, "bc", "a"), None);
    assert_eq!(store.uid_by_name(Kind::CronJob, "bc", "a"), None);
    assert!(store.name_taken(Kind::Job, "bc", "a"));

    assert!(store.remove_job(a));
    assert_eq!(store.uid_by_name(Kind::Job, "bc", "a"), None);
    assert_eq!(store.uid_by_name(Kind::Job, "other", "a"), Some(c));
    // The name is free again: a new object gets it under a new UID.
    let again = store.insert_job(job(4, "a", "bc", "cron"));
    assert_eq!(again, Uid(4));
    assert_eq!(store.uid_by_name(Kind::Job, "bc", "a"), Some(again));
}

#[test]
fn cronjob_children_match_the_owner_name_and_namespace() {
    let mut store = Store::new();
    let j1 = store.insert_job(job(1, "hello-1", "default", "hello"));
    let _other_cron = store.insert_job(job(2, "hell-1", "default", "hell"));
    let _other_ns = store.insert_job(job(3, "hello-1", "prod", "hello"));
    let j2 = store.insert_job(job(4, "hello-2", "default", "hello"));
    let names = |store: &Store, ns: &str, cron: &str| -> Vec<(Uid, String)> {
        store
            .jobs_of_cronjob_named(ns, cron)
            .iter()
            .map(|j| (j.meta.uid, j.meta.name.to_string()))
            .collect()
    };
    assert_eq!(
        names(&store, "default", "hello"),
        vec![(j1, "hello-1".to_string()), (j2, "hello-2".to_string())]
    );
    assert_eq!(
        names(&store, "default", "hell"),
        vec![(Uid(2), "hell-1".to_string())]
    );
    assert_eq!(
        names(&store, "prod", "hello"),
        vec![(Uid(3), "hello-1".to_string())]
    );
    assert_eq!(names(&store, "default", "hello-"), vec![]);

    assert!(store.remove_job(j1));
    assert_eq!(
        names(&store, "default", "hello"),
        vec![(j2, "hello-2".to_string())]
    );
    assert!(store.remove_job(j2));
    assert_eq!(names(&store, "default", "hello"), vec![]);
}
